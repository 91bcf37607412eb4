package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/store"
)

// measureOperations serve the scorecards, the monthly value report and
// the value models: read-only figures computed from the history, open to
// every role.
func (s *Server) measureOperations(api huma.API) {
	tags := []string{"Scorecards and value"}
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-scorecards", Method: http.MethodGet, Path: "/api/v1/scorecards",
		Summary: "Scorecards per agent, skill, action kind, owner or team over a period",
		Description: "Proposals made in the period, how they ended, the share done without a person, handoffs, time to decision, " +
			"undo and error rates, and value expected against realised. The period is since to until (dates, UTC, both included), " +
			"by default the last 30 days.", Tags: tags}, s.scorecardsList)
	register(api, store.RoleViewer, huma.Operation{OperationID: "get-value-report", Method: http.MethodGet, Path: "/api/v1/value-report",
		Summary: "The month's value report: what the agent fleet delivered, by team and skill, and what reviewing it cost",
		Tags:    tags}, s.valueReport)
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-value-models", Method: http.MethodGet, Path: "/api/v1/value-models",
		Summary: "How each action kind's value is estimated, and how and when it is measured", Tags: tags}, s.valueModels)
}

type scorecardsInput struct {
	PageParams
	By    string `query:"by" doc:"Group per agent (the default), skill, kind, owner, team, or fleet for one card."`
	Since string `query:"since" doc:"First day of the period, YYYY-MM-DD (UTC). Default: 30 days before until."`
	Until string `query:"until" doc:"Last day of the period, YYYY-MM-DD (UTC), included. Default: today."`
	Agent string `query:"agent" doc:"Only this agent's proposals."`
	Skill string `query:"skill" doc:"Only this skill's proposals."`
	Trend string `query:"trend" doc:"Add each card's figures per day or week (weeks start on Monday); none by default."`
}

// filter checks the input and turns it into the load filter and options.
func (in *scorecardsInput) filter(now time.Time) (measure.Filter, measure.Options, error) {
	var o measure.Options
	f := measure.Filter{Agent: in.Agent, Skill: in.Skill}
	var err error
	if o.By, err = measure.ParseBy(in.By, measure.Groupings); err != nil {
		return f, o, inputInvalid(err)
	}
	if o.Trend, err = measure.ParseTrend(in.Trend); err != nil {
		return f, o, inputInvalid(err)
	}
	if f.Since, f.Until, err = measure.ParsePeriod(in.Since, in.Until, 30, now); err != nil {
		return f, o, inputInvalid(err)
	}
	return f, o, nil
}

// inputInvalid is a 400 naming the query parameter measure refused.
func inputInvalid(err error) error {
	var ie *measure.InputError
	if errors.As(err, &ie) {
		return invalid("query."+ie.Field, ie.Reason)
	}
	return invalid("query", err.Error())
}

func (s *Server) scorecardsList(ctx context.Context, in *scorecardsInput) (*body[Page[measure.Card]], error) {
	f, o, err := in.filter(time.Now())
	if err != nil {
		return nil, err
	}
	h, err := measure.Load(ctx, s.Store, f)
	if err != nil {
		return nil, s.fail(ctx, "reading the proposal history", err)
	}
	page, err := pageOfSlice("scorecards", measure.Scorecards(h, o), in.PageParams)
	if err != nil {
		return nil, err
	}
	return reply(page)
}

type valueReportInput struct {
	Month string `query:"month" doc:"The month, YYYY-MM (UTC). Default: this month."`
}

func (s *Server) valueReport(ctx context.Context, in *valueReportInput) (*body[*measure.Report], error) {
	month, err := measure.ParseMonth(in.Month, time.Now())
	if err != nil {
		return nil, inputInvalid(err)
	}
	rep, err := measure.ValueReport(ctx, s.Store, month, measure.DefaultReviewCost)
	if err != nil {
		return nil, s.fail(ctx, "building the value report", err)
	}
	return reply(rep)
}

// valueModel is one action kind's value model as the API sends it: the
// wait before measuring in hours, not Go's nanoseconds.
type valueModel struct {
	Kind     string  `json:"kind" doc:"The action kind."`
	Estimate string  `json:"estimate" doc:"How agents estimate the value when they propose."`
	Realise  string  `json:"realise" doc:"How Tower measures what it was worth."`
	After    float64 `json:"after_hours" doc:"How many hours after execution it is measured."`
}

func (s *Server) valueModels(ctx context.Context, in *PageParams) (*body[Page[valueModel]], error) {
	ms := mapItems(measure.Models(), func(m measure.Model) valueModel {
		return valueModel{Kind: string(m.Kind), Estimate: m.Estimate, Realise: m.Realise, After: m.After.Hours()}
	})
	page, err := pageOfSlice("value-models", ms, *in)
	if err != nil {
		return nil, err
	}
	return reply(page)
}
