package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/ingest/collect"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// fail maps an error of the domain to the API's error shape: the domain
// never speaks HTTP, so this is the one place its errors get a status.
// Anything unexpected is logged and answered 500 without its details.
func (s *Server) fail(ctx context.Context, what string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return apiErr(http.StatusNotFound, err.Error())
	case errors.Is(err, governance.ErrNotEligible):
		return apiErr(http.StatusForbidden, err.Error())
	case errors.Is(err, proposal.ErrIllegalTransition), errors.Is(err, store.ErrConflict), errors.Is(err, fleet.ErrNotRunnable),
		errors.Is(err, governance.ErrAlreadyApproved), errors.Is(err, governance.ErrExecutionPaused),
		errors.Is(err, governance.ErrAgentHeld), errors.Is(err, governance.ErrNotTripped),
		errors.Is(err, fleet.ErrAgentTripped), errors.Is(err, fleet.ErrAgentUnchanged),
		errors.Is(err, auth.ErrUserExists):
		return apiErr(http.StatusConflict, err.Error())
	case errors.Is(err, fleet.ErrReasonRequired), errors.Is(err, fleet.ErrEditEmpty), errors.Is(err, fleet.ErrBadEdit),
		errors.Is(err, governance.ErrBadDelegation), errors.Is(err, proposal.ErrInvalidDraft),
		errors.Is(err, auth.ErrBadUserName), errors.Is(err, auth.ErrUnknownRole), errors.Is(err, auth.ErrWeakPassword),
		errors.Is(err, auth.ErrRoleTooHigh), errors.Is(err, auth.ErrUserDisabled), errors.Is(err, collect.ErrBadSourceName):
		return apiErr(http.StatusBadRequest, err.Error())
	}
	var ae *ErrorResponse
	if errors.As(err, &ae) {
		return ae
	}
	s.Logger.ErrorContext(ctx, what+" failed", "err", err)
	return apiErr(http.StatusInternalServerError, what+" failed; see the server log")
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
