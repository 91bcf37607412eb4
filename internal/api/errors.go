package api

import (
	"net/http"
)

// apiError is the one error shape of the API:
// {"error":{"code":"unauthorized","message":"..."}}.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError answers with the API's error shape. Messages are for the
// person calling: say what to do, never echo a secret.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tower"`)
	}
	writeJSON(w, status, apiError{Error: apiErrorBody{Code: code, Message: msg}})
}
