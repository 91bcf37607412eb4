package governance

import (
	"fmt"
	"reflect"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"
)

// Rules see the fields of Vars as qualified names: action.records,
// agent.track.streak, calendar.in_freeze. Each leaf is declared as its own
// typed variable (named by the cel tags of vars.go), so the type checker
// refuses a misspelt field (action.recrods) or a wrong comparison
// (action.records > "x") at load time, and evaluation reads a field with
// one switch instead of reflecting over a struct or filling a map.

// celVar is one leaf variable a rule may use.
type celVar struct {
	name  string
	typ   *cel.Type
	index []int // field path in Vars, for the reflective fallback
}

// celVars lists every leaf of Vars, in declaration order.
var celVars = func() []celVar {
	var out []celVar
	var walk func(t reflect.Type, prefix string, index []int)
	walk = func(t reflect.Type, prefix string, index []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("cel")
			if tag == "" || !f.IsExported() {
				continue
			}
			name := fieldPath(prefix, tag)
			idx := append(append([]int(nil), index...), i)
			switch {
			case f.Type == reflect.TypeOf(time.Time{}):
				out = append(out, celVar{name, cel.TimestampType, idx})
			case f.Type == reflect.TypeOf(time.Duration(0)):
				out = append(out, celVar{name, cel.DurationType, idx})
			case f.Type.Kind() == reflect.Struct:
				walk(f.Type, name, idx)
			default:
				out = append(out, celVar{name, celTypeOf(f.Type), idx})
			}
		}
	}
	walk(reflect.TypeOf(Vars{}), "", nil)
	return out
}()

func celTypeOf(t reflect.Type) *cel.Type {
	switch t.Kind() {
	case reflect.String:
		return cel.StringType
	case reflect.Bool:
		return cel.BoolType
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cel.IntType
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return cel.UintType
	case reflect.Float32, reflect.Float64:
		return cel.DoubleType
	case reflect.Slice:
		return cel.ListType(celTypeOf(t.Elem()))
	case reflect.Map:
		return cel.MapType(celTypeOf(t.Key()), celTypeOf(t.Elem()))
	}
	panic(fmt.Sprintf("governance: Vars field of type %s has no CEL type", t))
}

var celVarIndex = func() map[string]celVar {
	m := map[string]celVar{}
	for _, v := range celVars {
		m[v.name] = v
	}
	return m
}()

// newEnv builds the one CEL environment every rule is checked in.
func newEnv() (*cel.Env, error) {
	opts := []cel.EnvOption{cel.HomogeneousAggregateLiterals(), cel.DefaultUTCTimeZone(true)}
	for _, v := range celVars {
		opts = append(opts, cel.Variable(v.name, v.typ))
	}
	return cel.NewEnv(opts...)
}

// activation gives a rule the variables of one action.
type activation struct{ v *Vars }

var _ interpreter.Activation = activation{}

func (activation) Parent() interpreter.Activation { return nil }

// ResolveName reads a variable. The common ones are a switch; any field
// added to Vars later still resolves, through reflection.
func (a activation) ResolveName(name string) (any, bool) {
	v := a.v
	switch name {
	case "action.kind":
		return types.String(v.Action.Kind), true
	case "action.records":
		return types.Int(v.Action.Records), true
	case "action.people":
		return types.Int(v.Action.People), true
	case "action.audience_size":
		return types.Int(v.Action.AudienceSize), true
	case "action.channel":
		return types.String(v.Action.Channel), true
	case "action.fields":
		return types.NewStringList(types.DefaultTypeAdapter, v.Action.Fields), true
	case "action.systems":
		return types.NewStringList(types.DefaultTypeAdapter, v.Action.Systems), true
	case "action.emails_people":
		return types.Bool(v.Action.EmailsPeople), true
	case "action.without_consent":
		return types.Int(v.Action.WithoutConsent), true
	case "action.amount":
		return types.Double(v.Action.Amount), true
	case "action.hard_limit":
		return types.String(v.Action.HardLimit), true
	case "proposal.skill":
		return types.String(v.Proposal.Skill), true
	case "proposal.confidence":
		return types.Double(v.Proposal.Confidence), true
	case "proposal.blast_radius":
		return types.Int(v.Proposal.BlastRadius), true
	case "proposal.actions":
		return types.Int(v.Proposal.Actions), true
	case "agent.name":
		return types.String(v.Agent.Name), true
	case "agent.owner":
		return types.String(v.Agent.Owner), true
	case "agent.autonomy":
		return types.String(v.Agent.Autonomy), true
	case "agent.track.streak":
		return types.Int(v.Agent.Track.Streak), true
	case "agent.track.earned":
		return types.Bool(v.Agent.Track.Earned), true
	case "agent.track.approved":
		return types.Int(v.Agent.Track.Approved), true
	case "agent.track.rejected":
		return types.Int(v.Agent.Track.Rejected), true
	case "agent.track.undone":
		return types.Int(v.Agent.Track.Undone), true
	case "agent.track.failed":
		return types.Int(v.Agent.Track.Failed), true
	case "proposal.expected_value.conversions":
		return types.Double(v.Proposal.ExpectedValue.Conversions), true
	case "proposal.expected_value.pipeline_usd":
		return types.Double(v.Proposal.ExpectedValue.PipelineUSD), true
	case "proposal.expected_value.savings_usd":
		return types.Double(v.Proposal.ExpectedValue.SavingsUSD), true
	case "proposal.expected_value.hours_saved":
		return types.Double(v.Proposal.ExpectedValue.HoursSaved), true
	case "actor":
		return types.String(v.Actor), true
	case "now":
		return types.Timestamp{Time: v.Now}, true
	case "calendar.in_freeze":
		return types.Bool(v.Calendar.InFreeze), true
	case "calendar.freeze":
		return types.String(v.Calendar.Freeze), true
	}
	cv, ok := celVarIndex[name]
	if !ok {
		return nil, false
	}
	f := reflect.ValueOf(v).Elem().FieldByIndex(cv.index)
	return types.DefaultTypeAdapter.NativeToValue(f.Interface()), true
}
