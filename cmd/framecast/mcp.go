package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/framecast/framecast/httpapi"
	"net"
	"os"

	"github.com/framecast/framecast/client"
	"github.com/framecast/framecast/mcp"
)

func init() {
	register("mcp", "serve AI agents over MCP on stdin/stdout (--stdio), in-process or against --server URL", runMCP)
	// framecast serve also answers MCP over streamable HTTP (/mcp) and SSE (/mcp/sse), with the API keys.
	mountExtra = append(mountExtra, func(st *stack) extraRoutes {
		h := mcp.HTTPHandler(st.svc, mcp.Options{
			AllowPrivateURLs: st.flags.allowPrivate,
			Logger:           newLogger(st.flags.logFormat),
		})
		return h
	})
}

// runMCP serves one agent over standard input and output. With --server it is a client of that server's
// REST API using the key in FRAMECAST_API_KEY (or --api-key); without, it opens the service in this
// process on --data/--db (the same flags and defaults as serve) and renders here, acting for the key's
// account, or for --account when no key is given.
// defaultMCPAddr is where `framecast mcp --stdio` serves the links of its results when it runs the
// service in process: a fixed loopback port, so that a video URL or an upload URL given to an agent still
// works after the process restarts (with a random port every restart broke them).
const defaultMCPAddr = "127.0.0.1:7431"

func runMCP(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("mcp", flag.ContinueOnError)
	var sf stackFlags
	sf.add(fs)
	stdio := fs.Bool("stdio", false, "serve MCP on standard input and output (the only transport of this command; serve has HTTP)")
	serverURL := fs.String("server", env("SERVER", ""), "a Framecast server's base URL to call (default: run the service in this process)")
	apiKey := fs.String("api-key", os.Getenv("FRAMECAST_API_KEY"), "API key (default $FRAMECAST_API_KEY)")
	account := fs.String("account", "default", "in-process without a key: the account to act for (created when missing)")
	addr := fs.String("addr", env("MCP_ADDR", defaultMCPAddr), "in-process: where this process serves the previews, pages and videos its results link to (a fixed port, so links and upload URLs outlive a restart; a random one when it is taken)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*stdio {
		return errors.New("mcp: say --stdio (MCP over HTTP is served by `framecast serve` at /mcp and /mcp/sse)")
	}
	logger := sf.logger()
	opts := mcp.Options{AllowPrivateURLs: sf.allowPrivate, Logger: logger}

	if *serverURL != "" {
		if *apiKey == "" {
			return errors.New("mcp: --server needs an API key: set FRAMECAST_API_KEY or --api-key")
		}
		if _, err := client.New(*serverURL, *apiKey); err != nil {
			return fmt.Errorf("mcp: --server: %w", err)
		}
		remote := mcp.NewRemote(*serverURL, *apiKey, nil)
		remote.AllowPrivateURLs = sf.allowPrivate
		return mcp.RunStdio(ctx, remote, opts, os.Stdin, os.Stdout)
	}

	// The links results carry (previewUrl, videoUrl, …) work: this process serves them on a loopback port.
	ln, err := net.Listen("tcp", *addr)
	if err != nil && *addr == defaultMCPAddr {
		// Another `framecast mcp` holds the fixed port: this one still works, on a random port whose links
		// die with it (server-relative /files/… paths keep working everywhere).
		logger.Warn("the fixed MCP address is taken; serving links on a random port", "addr", *addr, "err", err)
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return err
	}
	if sf.publicURL == "" {
		sf.publicURL = "http://" + ln.Addr().String()
	}
	st, err := sf.open(ctx, logger)
	if err != nil {
		ln.Close()
		return err
	}
	defer st.close()
	// The links' server stops, and is waited for, before the store closes (defers run in reverse).
	httpCtx, stopHTTP := context.WithCancel(ctx)
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := st.serveHTTP(httpCtx, ln, httpapi.Config{RateLimit: -1, Logger: logger}, false); err != nil {
			logger.Error("serving links", "err", err)
		}
	}()
	defer func() { stopHTTP(); <-served }()
	if err := st.startWorkers(ctx); err != nil {
		return err
	}
	var accountID string
	if *apiKey != "" {
		a, err := st.svc.Authenticate(ctx, *apiKey)
		if err != nil {
			return fmt.Errorf("mcp: FRAMECAST_API_KEY: %w", err)
		}
		accountID = a.ID
	} else {
		a, created, err := st.accountNamed(ctx, *account)
		if err != nil {
			return err
		}
		if created {
			logger.Info("created account", "name", a.Name, "id", a.ID)
		}
		accountID = a.ID
	}
	local := mcp.NewLocal(st.svc, accountID)
	opts.AllowLocalFiles = true // the service runs here, for the user who started it: upload_file may read their files
	err = mcp.RunStdio(ctx, local, opts, os.Stdin, os.Stdout)
	return err
}
