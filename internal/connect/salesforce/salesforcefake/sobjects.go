package salesforcefake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
)

type saveError struct {
	StatusCode string   `json:"statusCode"`
	Message    string   `json:"message"`
	Fields     []string `json:"fields"`
}

type saveResult struct {
	ID      *string     `json:"id"`
	Success bool        `json:"success"`
	Errors  []saveError `json:"errors"`
}

// update is PATCH /services/data/vXX.X/composite/sobjects: up to 200
// records, each {"attributes": {"type": …}, "id": …, Field: value}, and
// one SaveResult per record in order. allOrNone false lets each record
// succeed or fail alone; true rolls all back when one fails.
func (f *Fake) update(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AllOrNone bool             `json:"allOrNone"`
		Records   []map[string]any `json:"records"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "JSON_PARSER_ERROR", "Unexpected character in the request body: "+err.Error())
		return
	}
	if len(body.Records) > CollectionLimit {
		writeError(w, http.StatusBadRequest, "EXCEEDED_ID_LIMIT", fmt.Sprintf("record limit reached. cannot submit more than %d records into this call", CollectionLimit))
		return
	}
	// Field names and types are checked for the whole request first, as
	// Salesforce does: an unknown field fails the call.
	for _, rec := range body.Records {
		for k, v := range rec {
			if k == "attributes" || k == "id" {
				continue
			}
			name, ok := f.hasField(k)
			if !ok || readOnly[name] {
				writeError(w, http.StatusBadRequest, "INVALID_FIELD", fmt.Sprintf("No such column '%s' on sobject of type %s", k, f.object))
				return
			}
			if _, isBool := v.(bool); (name == "HasOptedOutOfEmail" || name == "DoNotCall") != isBool {
				writeError(w, http.StatusBadRequest, "JSON_PARSER_ERROR", fmt.Sprintf("Cannot deserialize instance of %s from %v value", typeName(name), v))
				return
			}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	results := make([]saveResult, len(body.Records))
	changed := map[string]map[string]any{}
	failed := false
	for i, rec := range body.Records {
		id, _ := rec["id"].(string)
		attrs, _ := rec["attributes"].(map[string]any)
		stored := f.records[id]
		switch {
		case attrs == nil || attrs["type"] != f.object:
			results[i].Errors = []saveError{{StatusCode: "INVALID_TYPE", Message: fmt.Sprintf("record %d: attributes.type must be %s", i, f.object), Fields: []string{}}}
		case id == "" || stored == nil:
			results[i].Errors = []saveError{{StatusCode: "ENTITY_IS_DELETED", Message: "entity is deleted", Fields: []string{}}}
		case f.rejected[id]:
			results[i].Errors = []saveError{{StatusCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", Message: "This record is locked by an approval process and cannot be edited.", Fields: []string{}}}
		default:
			results[i] = saveResult{ID: &id, Success: true, Errors: []saveError{}}
			if changed[id] == nil {
				changed[id] = map[string]any{}
			}
			for k, v := range rec {
				if k != "attributes" && k != "id" {
					name, _ := f.hasField(k)
					changed[id][name] = v
				}
			}
			continue
		}
		failed = true
	}
	if failed && body.AllOrNone {
		for i := range results {
			if results[i].Success {
				results[i] = saveResult{Errors: []saveError{{StatusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK", Message: "Record rolled back because not all records were valid and the request was using AllOrNone header", Fields: []string{}}}}
			}
		}
		writeJSON(w, http.StatusOK, results)
		return
	}
	now := stamp(f.clock.Now())
	for id, fields := range changed {
		stored, diff := f.records[id], false
		for k, v := range fields {
			if !reflect.DeepEqual(stored[k], v) {
				stored[k], diff = v, true
			}
		}
		if diff {
			stored["LastModifiedDate"] = now
			f.mutations++
		}
	}
	writeJSON(w, http.StatusOK, results)
}

func typeName(field string) string {
	if field == "HasOptedOutOfEmail" || field == "DoNotCall" {
		return "boolean"
	}
	return "string"
}
