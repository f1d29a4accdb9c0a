package lattice

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkVerifyOverhead compares Verify with a bare GET of the same URL
// on loopback: the difference is what the client adds to the round trip
// (the budget asks for under 5 ms).
func BenchmarkVerifyOverhead(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(me))
	defer srv.Close()
	c, _ := New(Options{APIURL: srv.URL, Version: "bench"})
	b.Run("bare-get", func(b *testing.B) {
		hc := NewHTTPClient()
		for b.Loop() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+testKey)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
	})
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.Verify(context.Background(), testKey); err != nil {
				b.Fatal(err)
			}
		}
	})
}
