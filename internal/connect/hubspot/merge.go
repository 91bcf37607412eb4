package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/towerops/tower/internal/connect"
)

// merge merges contact SystemID into IntoID, which survives. HubSpot
// refuses to merge a contact that is already merged, so when the merge is
// refused the connector reads the survivor's hs_merged_object_ids: if
// SystemID is there, the merge was done (by an earlier push whose answer
// was lost, or by hand) and the change is done too.
func (h *HubSpot) merge(ctx context.Context, ch connect.Change) error {
	if ch.SystemID == "" || ch.IntoID == "" {
		return fmt.Errorf("hubspot: merge needs both contact ids (merge %q into %q)", ch.SystemID, ch.IntoID)
	}
	body := map[string]string{"primaryObjectId": ch.IntoID, "objectIdToMerge": ch.SystemID}
	_, err := h.do(ctx, http.MethodPost, "/crm/v3/objects/contacts/merge", body, nil)
	if err == nil {
		return nil
	}
	var se *connect.StatusError
	if !errors.As(err, &se) || (se.Status != http.StatusBadRequest && se.Status != http.StatusNotFound) {
		return fmt.Errorf("hubspot: merge contact %s into %s: %w", ch.SystemID, ch.IntoID, err)
	}
	done, cerr := h.merged(ctx, ch.SystemID, ch.IntoID)
	switch {
	case cerr != nil:
		return fmt.Errorf("hubspot: merge contact %s into %s: %w (and checking whether it was already merged failed: %w)", ch.SystemID, ch.IntoID, err, cerr)
	case done:
		return nil
	}
	return fmt.Errorf("hubspot: merge contact %s into %s: %w", ch.SystemID, ch.IntoID, err)
}

// merged reports whether from was merged into into.
func (h *HubSpot) merged(ctx context.Context, from, into string) (bool, error) {
	var o object
	_, err := h.do(ctx, http.MethodGet, "/crm/v3/objects/contacts/"+url.PathEscape(into)+"?properties=hs_merged_object_ids", nil, &o)
	if err != nil {
		var se *connect.StatusError
		if errors.As(err, &se) && se.Status == http.StatusNotFound {
			return false, nil
		}
		return false, err
	}
	return slices.Contains(strings.Split(o.prop("hs_merged_object_ids"), ";"), from), nil
}
