package main

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"google.golang.org/api/googleapi"

	"github.com/partnerq/pqi/functions/ingest"
)

// retryable reports whether running again may succeed: the deadline ran
// out, the network or a service failed for a moment (AWS and Google
// retryable errors, HTTP 429 and 5xx), or an export changed while it was
// read. Anything else (a malformed event, exports that break the
// contract, a configuration error, no scores to report) fails the same
// way again, so it is not retried but sent to the failure queue.
func retryable(err error) bool {
	if errors.Is(err, errMalformed) {
		return false
	}
	var ne net.Error
	var ge *googleapi.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, ingest.ErrExportChanged), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE):
		return true
	case errors.As(err, &ne):
		return true
	case errors.As(err, &ge):
		return ge.Code == 429 || ge.Code >= 500
	}
	return retry.IsErrorRetryables(retry.DefaultRetryables).IsErrorRetryable(err) == aws.TrueTernary
}
