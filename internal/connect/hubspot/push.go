package hubspot

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/foundation"
)

// Push sends changes and returns one result per change, in order.
//
// Changes are sent in waves, each naming a record at most once, so two
// changes to one record land in the order given (and HubSpot, which
// refuses a batch naming a contact twice, never sees one). Within a wave,
// suppressions go in one batch unsubscribe-all call, re-subscriptions in
// one batch write, field updates in one batch update; merges one by one.
//
// HubSpot takes no idempotency key on these endpoints, so each operation
// is made idempotent instead: opting out or subscribing an address twice
// changes nothing, setting a property to the value it has changes
// nothing, and a merge already done is recognised and reported as done.
func (h *HubSpot) Push(ctx context.Context, changes []connect.Change) []connect.Result {
	res := make([]connect.Result, len(changes))
	for i, ch := range changes {
		res[i].Key = ch.Key
	}
	for _, wave := range waves(changes) {
		var sup, unsup, upd []int
		for _, i := range wave {
			ch := changes[i]
			switch ch.Op {
			case connect.OpSuppress, connect.OpUnsuppress:
				if err := emailChannel(ch); err != nil {
					res[i].Err = err
				} else if ch.Op == connect.OpSuppress {
					sup = append(sup, i)
				} else {
					unsup = append(unsup, i)
				}
			case connect.OpUpdateField:
				upd = append(upd, i)
			case connect.OpMerge:
				res[i].Err = h.merge(ctx, ch)
			case connect.OpUnmerge:
				res[i].Err = connect.Unsupported(Kind, ch.Op, "HubSpot cannot unmerge contacts: split the contact by hand in HubSpot (recreate the merged-away contact and move its activity)")
			default:
				res[i].Err = connect.Unsupported(Kind, ch.Op, "")
			}
		}
		h.suppress(ctx, changes, sup, res)
		h.unsuppress(ctx, changes, unsup, res)
		h.updateFields(ctx, changes, upd, res)
	}
	return res
}

// emailChannel refuses consent changes on channels other than e-mail:
// the connector changes HubSpot's e-mail subscriptions only.
func emailChannel(ch connect.Change) error {
	if ch.Channel == "" || ch.Channel == foundation.ChannelEmail {
		return nil
	}
	return fmt.Errorf("hubspot: %s on %s: this connector changes e-mail subscriptions only; change the contact's %s preference in HubSpot", ch.Op, ch.Channel, ch.Channel)
}

// waves splits changes into groups in which no record appears twice,
// keeping their order.
func waves(changes []connect.Change) [][]int {
	var out [][]int
	var cur []int
	seen := map[string]bool{}
	for i, ch := range changes {
		keys := []string{"id:" + ch.SystemID}
		if ch.SystemID == "" {
			keys[0] = "email:" + foundation.NormalizeEmail(ch.Email)
		}
		if ch.IntoID != "" {
			keys = append(keys, "id:"+ch.IntoID)
		}
		clash := false
		for _, k := range keys {
			clash = clash || seen[k]
		}
		if clash {
			out, cur, seen = append(out, cur), nil, map[string]bool{}
		}
		for _, k := range keys {
			seen[k] = true
		}
		cur = append(cur, i)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
