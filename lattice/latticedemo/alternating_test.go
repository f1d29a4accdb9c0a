package latticedemo_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// TestTheFlakyKeysFailEveryOtherRequest: the rate-limited key is answered
// 429 (with Retry-After: 1) on its first request, third, fifth…, and the
// flaky one 503, each fine in between; a request with no key known counts
// for no key.
func TestTheFlakyKeysFailEveryOtherRequest(t *testing.T) {
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	me := func(key string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/v1/me", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Retry-After")
	}
	for key, fails := range map[string]int{latticedemo.KeyRateLimited: 429, latticedemo.KeyFlaky: 503} {
		me("not-a-key-of-the-stand-in-0000") // counts for neither
		var got []int
		for range 4 {
			status, wait := me(key)
			got = append(got, status)
			if status == 429 && wait != "1" {
				t.Errorf("%s: a 429 with Retry-After %q", key, wait)
			}
		}
		if want := []int{fails, 200, fails, 200}; !reflect.DeepEqual(got, want) {
			t.Errorf("%s answered %v, want %v", key, got, want)
		}
	}
}
