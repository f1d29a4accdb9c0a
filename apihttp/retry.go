package apihttp

import (
	"context"
	"errors"
	"time"
)

// Policy says how often one call is tried and how long it may take.
type Policy struct {
	// Attempts in all, the first included; 0 or 1: never retried (a POST
	// that may create something must not be).
	Attempts int
	// Backoff is the wait after a dropped connection or a 5xx, doubled for
	// each attempt after the second.
	Backoff time.Duration
	// MaxRetryWait is the longest Retry-After waited out after a 429; a
	// longer one ends the call with the 429. 0: a 429 is never retried.
	MaxRetryWait time.Duration
	// AnswerTimeout bounds one attempt within ctx; 0: ctx alone does.
	AnswerTimeout time.Duration
	// OnWait, when set, hears of each wait before it starts.
	OnWait func(Wait)
}

// Why is the reason for a wait between attempts.
type Why int

const (
	WhyDropped     Why = iota + 1 // the connection failed or dropped
	WhyRateLimited                // the server answered 429
	WhyServerError                // the server answered 5xx
)

// Wait is a pause between attempts.
type Wait struct {
	Duration time.Duration
	Why      Why
	Status   int   // the status that caused it, for WhyRateLimited and WhyServerError
	Cause    Cause // what failed, for WhyDropped
	Attempt  int   // the attempt that follows the wait
}

// AttemptTimeout is an attempt that ran out of its AnswerTimeout while the
// call's own context still had time.
type AttemptTimeout struct {
	Limit time.Duration
	Err   error
}

func (e *AttemptTimeout) Error() string { return "no answer within the attempt's time limit" }
func (e *AttemptTimeout) Unwrap() error { return e.Err }

// Do calls send until it returns an answer worth keeping: a 2xx or any
// status that another try will not change, or the last attempt's answer.
// After a 429 it waits as asked (up to MaxRetryWait); after a 5xx or a
// Retryable *Failure it backs off. When what is left of ctx is shorter than
// the next wait, it stops with what it has. The error is send's, ctx's, or
// an *AttemptTimeout; a timed-out attempt is never retried, since what is
// left of the budget would not be enough for another.
func (p Policy) Do(ctx context.Context, send func(context.Context) (Answer, error)) (Answer, error) {
	attempts := max(p.Attempts, 1)
	for attempt := 1; ; attempt++ {
		res, err := p.once(ctx, send)
		var w Wait
		var f *Failure
		switch {
		case err != nil:
			if ctx.Err() != nil || !errors.As(err, &f) || !f.Retryable() || attempt == attempts {
				return res, err
			}
			w = Wait{Duration: p.Backoff << (attempt - 1), Why: WhyDropped, Cause: f.Cause}
		case res.Status == 429:
			if attempt == attempts || p.MaxRetryWait <= 0 || res.RetryAfter > p.MaxRetryWait {
				return res, nil
			}
			w = Wait{Duration: res.RetryAfter, Why: WhyRateLimited, Status: res.Status}
			if w.Duration <= 0 {
				w.Duration = p.Backoff << (attempt - 1)
			}
		case res.Status >= 500 && attempt < attempts:
			w = Wait{Duration: p.Backoff << (attempt - 1), Why: WhyServerError, Status: res.Status}
		default:
			return res, nil
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < w.Duration {
			return res, err // no time left to wait: report what there is
		}
		w.Attempt = attempt + 1
		if p.OnWait != nil {
			p.OnWait(w)
		}
		t := time.NewTimer(w.Duration)
		select {
		case <-ctx.Done():
			t.Stop()
			return Answer{}, ctx.Err()
		case <-t.C:
		}
	}
}

// once is one attempt, bounded by AnswerTimeout when ctx would allow more.
func (p Policy) once(ctx context.Context, send func(context.Context) (Answer, error)) (Answer, error) {
	if p.AnswerTimeout <= 0 {
		return send(ctx)
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= p.AnswerTimeout {
		return send(ctx) // the call's own limit comes first: it alone is named
	}
	actx, cancel := context.WithTimeout(ctx, p.AnswerTimeout)
	defer cancel()
	res, err := send(actx)
	if err != nil && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		return Answer{}, &AttemptTimeout{Limit: p.AnswerTimeout, Err: err}
	}
	return res, err
}
