// Package runtimeapi is a small AWS Lambda Runtime API server on loopback,
// for starting the real bootstrap binary the way Lambda does and handing
// it events (the 2018-06-01 API: invocation/next, response, error, and
// init/error). Test and benchmark code only.
package runtimeapi

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Result is how the function answered one invocation.
type Result struct {
	RequestID string
	Body      []byte // the response, or the error payload
	Failed    bool   // posted to /error: Lambda would retry an asynchronous event
	ErrorType string // Lambda-Runtime-Function-Error-Type of a failure
	Took      time.Duration
}

type invocation struct {
	id       string
	payload  []byte
	deadline time.Time
	sent     time.Time
	done     chan Result
}

// Server serves the Runtime API to one function process.
type Server struct {
	Addr string // host:port, for AWS_LAMBDA_RUNTIME_API

	srv     *http.Server
	queue   chan *invocation
	mu      sync.Mutex
	pending map[string]*invocation
	n       int
	started time.Time
	firstAt time.Time // when the function first asked for an event
	initErr []byte
	stop    chan struct{}
}

// Start serves on 127.0.0.1 until Close.
func Start() (*Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: l.Addr().String(), queue: make(chan *invocation), pending: map[string]*invocation{}, stop: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", s.next)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", s.answer(false))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", s.answer(true))
	// The Extensions API, as far as a function registering an internal
	// extension (aws-lambda-go does, to receive SIGTERM) needs it: the
	// registration, and a next event that comes only at shutdown.
	mux.HandleFunc("POST /2020-01-01/extension/register", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Lambda-Extension-Identifier", "ext-"+r.Header.Get("Lambda-Extension-Name"))
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"functionName":"pqi-test","functionVersion":"$LATEST","handler":"bootstrap"}`)
	})
	mux.HandleFunc("GET /2020-01-01/extension/event/next", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-s.stop:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":0}`)
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.initErr = b
		s.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	})
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(l)
	return s, nil
}

// MarkStart notes when the function process was started, for ColdStart.
func (s *Server) MarkStart() {
	s.mu.Lock()
	s.started = time.Now()
	s.mu.Unlock()
}

// ColdStart is the time from MarkStart to the function's first request
// for an event: its initialisation, what a cold start adds.
func (s *Server) ColdStart() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.firstAt.IsZero() || s.started.IsZero() {
		return 0
	}
	return s.firstAt.Sub(s.started)
}

// InitError is what the function posted to init/error, if anything.
func (s *Server) InitError() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.initErr
}

// Invoke hands the function one event with the given time to run and
// waits for its answer (or ctx).
func (s *Server) Invoke(ctx context.Context, payload []byte, timeout time.Duration) (Result, error) {
	s.mu.Lock()
	s.n++
	inv := &invocation{id: fmt.Sprintf("req-%04d", s.n), payload: payload, deadline: time.Now().Add(timeout), done: make(chan Result, 1)}
	s.pending[inv.id] = inv
	s.mu.Unlock()
	select {
	case s.queue <- inv:
	case <-ctx.Done():
		return Result{}, fmt.Errorf("the function never asked for the event: %w", ctx.Err())
	}
	select {
	case r := <-inv.done:
		return r, nil
	case <-ctx.Done():
		return Result{}, fmt.Errorf("no answer to %s: %w", inv.id, ctx.Err())
	}
}

func (s *Server) next(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.firstAt.IsZero() {
		s.firstAt = time.Now()
	}
	s.mu.Unlock()
	select {
	case inv := <-s.queue:
		inv.sent = time.Now()
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:pqi-test")
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0")
		h.Set("Content-Type", "application/json")
		w.Write(inv.payload)
	case <-s.stop:
		http.Error(w, "shutting down", http.StatusGone)
	case <-r.Context().Done():
	}
}

func (s *Server) answer(failed bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		inv, ok := s.pending[id]
		delete(s.pending, id)
		s.mu.Unlock()
		if !ok {
			http.Error(w, "unknown request id "+id, http.StatusBadRequest)
			return
		}
		inv.done <- Result{RequestID: id, Body: body, Failed: failed, ErrorType: r.Header.Get("Lambda-Runtime-Function-Error-Type"), Took: time.Since(inv.sent)}
		w.WriteHeader(http.StatusAccepted)
	}
}

// Close stops the server; a function waiting for an event gets an error.
func (s *Server) Close() error {
	close(s.stop)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// Env is the environment a function process needs to find the server.
func (s *Server) Env() []string {
	return []string{"AWS_LAMBDA_RUNTIME_API=" + s.Addr, "AWS_LAMBDA_FUNCTION_NAME=pqi-test",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=3008", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST", "_HANDLER=bootstrap"}
}
