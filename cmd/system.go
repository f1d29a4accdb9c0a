package cmd

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/atotto/clipboard"
	"github.com/cli/browser"

	"github.com/lattice-link/lattice-link/steps"
)

// The machine's own helpers (a browser, a clipboard tool) run as children
// of this process; procguard has taken every secret out of the environment
// they inherit.

func openURL(url string) error {
	browser.Stdout, browser.Stderr = io.Discard, io.Discard // keep the screen clean
	return browser.OpenURL(url)
}

// copyNative writes the machine's own clipboard, giving up after a second:
// the tools behind it (xclip, wl-copy, pbcopy) can hang without a display.
func copyNative(text string) error {
	if clipboard.Unsupported {
		return errors.New("no clipboard tool on this machine")
	}
	done := make(chan error, 1)
	go func() { done <- clipboard.WriteAll(text) }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("the clipboard tool did not answer within a second")
	}
}

// errNoClipboard says no clipboard could be reached at all.
var errNoClipboard = errors.New("no clipboard could be reached")

// copyEverywhere puts text on the clipboard: OSC 52 through the terminal
// (which reaches the user's own machine over SSH) and the native clipboard.
// It says how it went.
func copyEverywhere(text string) (string, error) {
	osc := false
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\x07"
		_, werr := tty.WriteString(seq)
		osc = werr == nil
		tty.Close()
	}
	return copiedWords(copyNative(text), osc)
}

// copiedWords say how a copy went, in the wizard's words: nativeErr is the
// system clipboard's answer, osc whether the terminal was handed the text.
func copiedWords(nativeErr error, osc bool) (string, error) {
	switch {
	case nativeErr == nil:
		return "Copied the email to the clipboard. Paste it into a new message to " + steps.AccessEmail + ".", nil
	case osc:
		return "Copied the email through your terminal: the system clipboard did not answer. " +
			"Nothing to paste? Save it to a file instead. In tmux, copying needs set -g set-clipboard on.", nil
	}
	return "", fmt.Errorf("%w (%v): save the email to a file instead (--out FILE)", errNoClipboard, nativeErr)
}
