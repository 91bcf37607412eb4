package segment

import (
	"reflect"
	"sync"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/ext"
)

// The types below exist only to tell the CEL checker what a rule may
// name; rules are never evaluated in Go, they become SQL.

type personType struct {
	Email     string         `cel:"email"`
	FirstName string         `cel:"first_name"`
	LastName  string         `cel:"last_name"`
	Title     string         `cel:"title"`
	Phone     string         `cel:"phone"`
	Country   string         `cel:"country"`
	Region    string         `cel:"region"`
	AccountID string         `cel:"account_id"`
	CreatedAt time.Time      `cel:"created_at"`
	Traits    map[string]any `cel:"traits"`
}

type recordType struct {
	System    string         `cel:"system"`
	SystemID  string         `cel:"system_id"`
	Email     string         `cel:"email"`
	FirstName string         `cel:"first_name"`
	LastName  string         `cel:"last_name"`
	Title     string         `cel:"title"`
	Phone     string         `cel:"phone"`
	Country   string         `cel:"country"`
	Region    string         `cel:"region"`
	AccountID string         `cel:"account_id"`
	Traits    map[string]any `cel:"traits"`
}

type accountType struct {
	ID             string         `cel:"id"`
	Name           string         `cel:"name"`
	Domain         string         `cel:"domain"`
	Industry       string         `cel:"industry"`
	Region         string         `cel:"region"`
	Tier           string         `cel:"tier"`
	LifecycleStage string         `cel:"lifecycle_stage"`
	OwnerID        string         `cel:"owner_id"`
	Employees      int64          `cel:"employees"`
	Traits         map[string]any `cel:"traits"`
}

type eventsType struct{}

var (
	envOnce sync.Once
	envVal  *cel.Env
	envErr  error
)

// env is the one CEL environment every rule is checked in.
func env() (*cel.Env, error) {
	envOnce.Do(func() {
		person := cel.ObjectType("segment.personType")
		account := cel.ObjectType("segment.accountType")
		record := cel.ObjectType("segment.recordType")
		events := cel.ObjectType("segment.eventsType")
		envVal, envErr = cel.NewEnv(
			ext.NativeTypes(reflect.TypeOf(personType{}), reflect.TypeOf(accountType{}),
				reflect.TypeOf(recordType{}), reflect.TypeOf(eventsType{}), ext.ParseStructTags(true)),
			cel.Variable("person", person),
			cel.Variable("account", account),
			cel.Variable("records", cel.ListType(record)),
			cel.Variable("events", events),
			cel.Variable("traits", cel.MapType(cel.StringType, cel.DynType)),
			cel.Variable("now", cel.TimestampType),
			cel.Function("count",
				cel.MemberOverload("events_count_string", []*cel.Type{events, cel.StringType}, cel.IntType),
				cel.MemberOverload("events_count_string_duration", []*cel.Type{events, cel.StringType, cel.DurationType}, cel.IntType)),
			cel.Function("owns",
				cel.MemberOverload("account_owns_string", []*cel.Type{account, cel.StringType}, cel.BoolType)),
			cel.Function("days",
				cel.Overload("days_int", []*cel.Type{cel.IntType}, cel.DurationType)),
			cel.Function("lowerAscii",
				cel.MemberOverload("string_lower_ascii", []*cel.Type{cel.StringType}, cel.StringType)),
		)
	})
	return envVal, envErr
}
