package netguard

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Get downloads rawURL under the policy: the URL is checked before anything is sent (CheckURL), the
// connection at dial time (Client), and the whole exchange is bounded by timeout. An answer other than
// 200 OK is an error. It returns the body, which the caller closes, and the URL answered after redirects.
func (p Policy) Get(ctx context.Context, rawURL string, timeout time.Duration) (body io.ReadCloser, final *url.URL, err error) {
	if err := p.CheckURL(ctx, rawURL); err != nil {
		return nil, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := p.Client(timeout).Do(req)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	return resp.Body, resp.Request.URL, nil
}
