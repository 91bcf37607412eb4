package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// foundationOperations read the data foundation: people, accounts,
// campaigns, templates and licences. Anyone with a token may read them;
// they change only through imports and governed proposals.
func (s *Server) foundationOperations(api huma.API) {
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-people", Method: http.MethodGet, Path: "/api/v1/people",
		Summary: "List people (contacts, leads, subscribers), merged across systems", Tags: []string{"People"}}, s.peopleList)
	register(api, store.RoleViewer, huma.Operation{OperationID: "get-person", Method: http.MethodGet, Path: "/api/v1/people/{id}",
		Summary: "Show a person with what each system holds and their consent", Tags: []string{"People"}}, s.personGet)
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-accounts", Method: http.MethodGet, Path: "/api/v1/accounts",
		Summary: "List accounts (companies)", Tags: []string{"Accounts"}}, s.accountsList)
	register(api, store.RoleViewer, huma.Operation{OperationID: "get-account", Method: http.MethodGet, Path: "/api/v1/accounts/{id}",
		Summary: "Show an account with its owner, products and headcount", Tags: []string{"Accounts"}}, s.accountGet)
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-campaigns", Method: http.MethodGet, Path: "/api/v1/campaigns",
		Summary: "List campaigns with their totals", Tags: []string{"Campaigns"}}, s.campaignsList)
	register(api, store.RoleViewer, huma.Operation{OperationID: "get-campaign", Method: http.MethodGet, Path: "/api/v1/campaigns/{id}",
		Summary: "Show a campaign with its daily results", Tags: []string{"Campaigns"}}, s.campaignGet)
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-templates", Method: http.MethodGet, Path: "/api/v1/templates",
		Summary: "List e-mail templates (without their bodies)", Tags: []string{"Templates"}}, s.templatesList)
	register(api, store.RoleViewer, huma.Operation{OperationID: "get-template", Method: http.MethodGet, Path: "/api/v1/templates/{id}",
		Summary: "Show an e-mail template with its body", Tags: []string{"Templates"}}, s.templateGet)
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-licenses", Method: http.MethodGet, Path: "/api/v1/licenses",
		Summary: "List the tools the company pays for by the seat", Tags: []string{"Licences"}}, s.licensesList)
}

type peopleListInput struct {
	PageParams
	Search  string `query:"search" doc:"Part of an e-mail, first or last name."`
	Account string `query:"account" doc:"Only people of this account id."`
	System  string `query:"system" doc:"Only people with a record in this system, e.g. crm."`
}

func (s *Server) peopleList(ctx context.Context, in *peopleListInput) (*body[Page[person]], error) {
	offset, limit, err := in.offsetPage("people")
	if err != nil {
		return nil, err
	}
	ps, err := s.Store.PeopleList(ctx, &store.PeopleListParams{Page: store.Page{Limit: limit + 1, Offset: offset},
		Search: in.Search, AccountID: in.Account, System: in.System})
	if err != nil {
		return nil, s.fail(ctx, "listing people", err)
	}
	return reply(pageAt("people", mapItems(ps, personSummaryOf), offset, limit))
}

type personInput struct {
	ID string `path:"id" doc:"The person's number, or their e-mail address."`
}

func (s *Server) personGet(ctx context.Context, in *personInput) (*body[personDetail], error) {
	p := &store.PersonGetParams{}
	if n, err := strconv.ParseInt(in.ID, 10, 64); err == nil {
		p.ID = n
	} else if strings.Contains(in.ID, "@") {
		p.Email = foundation.NormalizeEmail(in.ID)
	} else {
		return nil, invalid("path.id", "give the person's number or e-mail address")
	}
	d, err := s.Store.PersonGet(ctx, p)
	if err != nil {
		return nil, s.fail(ctx, "reading the person", err)
	}
	return reply(personDetail{Person: personOf(d.Person), Records: mapItems(d.Records, recordOf), Consent: mapItems(d.Consent, consentOf)})
}

type accountsListInput struct {
	PageParams
	Search string `query:"search" doc:"Part of the name or domain."`
	Owner  string `query:"owner" doc:"Only accounts of this owner id."`
	Region string `query:"region" doc:"Only accounts in this region."`
}

func (s *Server) accountsList(ctx context.Context, in *accountsListInput) (*body[Page[account]], error) {
	offset, limit, err := in.offsetPage("accounts")
	if err != nil {
		return nil, err
	}
	as, err := s.Store.AccountsList(ctx, &store.AccountsListParams{Page: store.Page{Limit: limit + 1, Offset: offset},
		Search: in.Search, OwnerID: in.Owner, Region: in.Region})
	if err != nil {
		return nil, s.fail(ctx, "listing accounts", err)
	}
	return reply(pageAt("accounts", mapItems(as, accountOf), offset, limit))
}

type idInput struct {
	ID string `path:"id"`
}

func (s *Server) accountGet(ctx context.Context, in *idInput) (*body[accountDetail], error) {
	d, err := s.Store.AccountGet(ctx, &store.AccountGetParams{ID: in.ID})
	if err != nil {
		return nil, s.fail(ctx, "reading the account", err)
	}
	return reply(accountDetailOf(d))
}

type campaignsListInput struct {
	PageParams
	Channel string `query:"channel" doc:"Only campaigns on this channel, e.g. email or paid_search."`
	Owner   string `query:"owner" doc:"Only campaigns of this owner id."`
}

func (s *Server) campaignsList(ctx context.Context, in *campaignsListInput) (*body[Page[campaign]], error) {
	offset, limit, err := in.offsetPage("campaigns")
	if err != nil {
		return nil, err
	}
	cs, err := s.Store.CampaignsList(ctx, &store.CampaignsListParams{Page: store.Page{Limit: limit + 1, Offset: offset},
		Channel: foundation.CampaignChannel(in.Channel), OwnerID: in.Owner})
	if err != nil {
		return nil, s.fail(ctx, "listing campaigns", err)
	}
	return reply(pageAt("campaigns", mapItems(cs, campaignSummaryOf), offset, limit))
}

func (s *Server) campaignGet(ctx context.Context, in *idInput) (*body[campaignDetail], error) {
	d, err := s.Store.CampaignGet(ctx, &store.CampaignGetParams{ID: in.ID})
	if err != nil {
		return nil, s.fail(ctx, "reading the campaign", err)
	}
	return reply(campaignDetail{Campaign: campaignOf(d.Campaign), Days: mapItems(d.Days, campaignDayOf)})
}

type templatesListInput struct {
	PageParams
	ESP string `query:"esp" doc:"Only templates of this e-mail platform, e.g. braze."`
}

func (s *Server) templatesList(ctx context.Context, in *templatesListInput) (*body[Page[template]], error) {
	offset, limit, err := in.offsetPage("templates")
	if err != nil {
		return nil, err
	}
	ts, err := s.Store.TemplatesList(ctx, &store.TemplatesListParams{Page: store.Page{Limit: limit + 1, Offset: offset}, ESP: foundation.ESP(in.ESP)})
	if err != nil {
		return nil, s.fail(ctx, "listing templates", err)
	}
	return reply(pageAt("templates", mapItems(ts, func(t foundation.Template) template {
		v := templateOf(t)
		v.Body = ""
		return v
	}), offset, limit))
}

func (s *Server) templateGet(ctx context.Context, in *idInput) (*body[template], error) {
	t, err := s.Store.TemplateGet(ctx, &store.TemplateGetParams{ID: in.ID})
	if err != nil {
		return nil, s.fail(ctx, "reading the template", err)
	}
	return reply(templateOf(*t))
}

func (s *Server) licensesList(ctx context.Context, in *PageParams) (*body[Page[license]], error) {
	offset, limit, err := in.offsetPage("licenses")
	if err != nil {
		return nil, err
	}
	ls, err := s.Store.LicensesList(ctx, &store.LicensesListParams{Page: store.Page{Limit: limit + 1, Offset: offset}})
	if err != nil {
		return nil, s.fail(ctx, "listing licences", err)
	}
	return reply(pageAt("licenses", mapItems(ls, licenseOf), offset, limit))
}
