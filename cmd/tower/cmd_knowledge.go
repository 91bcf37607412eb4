package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/knowledge"
)

// knowledgeCommand: tower knowledge check|show.
func (a *app) knowledgeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "knowledge",
		Short: "The knowledge folder: products, offers, messaging, brand rules and UTM taxonomy skills read",
		Long: `The workspace's knowledge/ folder holds what skills should know instead of
guess: product truth, offers, messaging, brand rules and the UTM taxonomy. It is
kept in git by the teams that own each file. See docs/knowledge.md.`,
	}
	cmd.AddCommand(a.knowledgeCheckCommand(), a.knowledgeShowCommand())
	return cmd
}

// knowledgeDir is DIR when given, else the workspace's knowledge/ folder.
func (a *app) knowledgeDir(args []string) (string, error) {
	if len(args) > 0 {
		return args[0], nil
	}
	ws, err := a.workspace()
	if err != nil {
		return "", err
	}
	return filepath.Join(ws.Dir, "knowledge"), nil
}

// problemJSON is a problem or warning as --json prints it.
type problemJSON struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func problemsJSON(ps []knowledge.Problem) []problemJSON {
	out := make([]problemJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, problemJSON{p.File, p.Line, p.Field, p.Reason})
	}
	return out
}

type knowledgeFileJSON struct {
	File    string `json:"file"`
	Owner   string `json:"owner"`
	Updated string `json:"updated"`
	Items   int    `json:"items"`
}

type knowledgeLayerJSON struct {
	Layer string `json:"layer"`
	// Default is true when the folder has no file for the layer and brand
	// or UTM fall back to Tower's defaults.
	Default bool                `json:"default"`
	Items   int                 `json:"items"`
	Files   []knowledgeFileJSON `json:"files"`
}

type knowledgeCheckJSON struct {
	Dir      string               `json:"dir"`
	Exists   bool                 `json:"exists"`
	OK       bool                 `json:"ok"`
	Layers   []knowledgeLayerJSON `json:"layers"`
	Warnings []problemJSON        `json:"warnings"`
	Problems []problemJSON        `json:"problems"`
}

// itemWords names a layer's items for the check summary.
var itemWords = map[string][2]string{
	knowledge.LayerProducts:  {"product", "products"},
	knowledge.LayerOffers:    {"offer", "offers"},
	knowledge.LayerMessaging: {"message", "messages"},
	knowledge.LayerBrand:     {"banned phrase", "banned phrases"},
	knowledge.LayerUTM:       {"allowed source or medium", "allowed sources and mediums"},
}

func count(n int, layer string) string {
	w := itemWords[layer]
	if n == 1 {
		return "1 " + w[0]
	}
	return fmt.Sprintf("%d %s", n, w[1])
}

// knowledgeLayers summarises a loaded Set per layer, in Layers order.
func knowledgeLayers(s *knowledge.Set) []knowledgeLayerJSON {
	out := make([]knowledgeLayerJSON, 0, len(knowledge.Layers))
	for _, layer := range knowledge.Layers {
		l := knowledgeLayerJSON{Layer: layer, Files: []knowledgeFileJSON{}}
		for _, f := range s.Files {
			if f.Layer == layer {
				l.Files = append(l.Files, knowledgeFileJSON{f.File, f.Owner, f.Updated.Format(time.DateOnly), f.Items})
				l.Items += f.Items
			}
		}
		l.Default = len(l.Files) == 0 && (layer == knowledge.LayerBrand || layer == knowledge.LayerUTM)
		out = append(out, l)
	}
	return out
}

func (a *app) knowledgeCheckCommand() *cobra.Command {
	var (
		asJSON    bool
		staleDays int
	)
	cmd := &cobra.Command{
		Use:   "check [DIR]",
		Short: "Check the knowledge folder (default: the workspace's knowledge/): every problem, and files not reviewed lately",
		Long: `Loads every file of the knowledge folder and lists, per layer, its files, owners,
last review and entries. Problems are printed as file:line: field: reason and
make the command exit 1; while there are any, skills get none of the folder.
Files last reviewed more than --stale-days ago are warnings only.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := a.knowledgeDir(args)
			if err != nil {
				return err
			}
			_, statErr := os.Stat(dir)
			res := knowledgeCheckJSON{Dir: dir, Exists: statErr == nil, Layers: []knowledgeLayerJSON{},
				Warnings: []problemJSON{}, Problems: []problemJSON{}}
			now := time.Now()
			set, err := knowledge.LoadAt(dir, now)
			var le *knowledge.LoadError
			switch {
			case errors.As(err, &le):
				res.Problems = problemsJSON(le.Problems)
			case err != nil:
				return err
			default:
				res.OK = true
				res.Layers = knowledgeLayers(set)
				res.Warnings = problemsJSON(set.Stale(now, time.Duration(staleDays)*24*time.Hour))
			}
			if asJSON {
				if err := printJSON(a.stdout, res); err != nil {
					return err
				}
			} else {
				a.printKnowledgeCheck(res, set, staleDays)
			}
			if !res.OK {
				return exitError{code: 1, msg: fmt.Sprintf("%d problem(s) in the knowledge folder %s", len(res.Problems), dir)}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().IntVar(&staleDays, "stale-days", 180, "warn about files last reviewed more than this many days ago")
	return cmd
}

func (a *app) printKnowledgeCheck(res knowledgeCheckJSON, set *knowledge.Set, staleDays int) {
	w := a.stdout
	if !res.OK {
		fmt.Fprintf(w, "%d problem(s) in %s:\n", len(res.Problems), res.Dir)
		for _, p := range res.Problems {
			fmt.Fprintf(w, "  %s\n", knowledge.Problem{File: p.File, Line: p.Line, Field: p.Field, Reason: p.Reason})
		}
		fmt.Fprintln(w, "Skills get nothing from the knowledge folder until these are fixed.")
		return
	}
	if !res.Exists {
		fmt.Fprintf(w, "No knowledge folder at %s: skills get no products, offers or messaging,\n", res.Dir)
		fmt.Fprintln(w, "and Tower's default brand rules (an unsubscribe link) and UTM taxonomy (utm_source, utm_medium, utm_campaign, lower-case).")
		return
	}
	fmt.Fprintf(w, "Knowledge folder %s:\n\n", res.Dir)
	t := newTable(w, "LAYER", "FILE", "OWNER", "UPDATED", "ENTRIES")
	for _, l := range res.Layers {
		if len(l.Files) == 0 {
			note := "no file"
			if l.Default {
				note = "no file: Tower's defaults"
			}
			t.row(l.Layer, note, "", "", "")
			continue
		}
		for _, f := range l.Files {
			entries := count(f.Items, l.Layer)
			if l.Layer == knowledge.LayerUTM {
				entries = fmt.Sprintf("%d sources, %d mediums", len(set.UTM.Sources), len(set.UTM.Mediums))
			}
			t.row(l.Layer, f.File, f.Owner, f.Updated, entries)
		}
	}
	_ = t.flush()
	if len(res.Warnings) > 0 {
		fmt.Fprintf(w, "\n%d file(s) not reviewed in %d days (warnings):\n", len(res.Warnings), staleDays)
		for _, p := range res.Warnings {
			fmt.Fprintf(w, "  %s\n", knowledge.Problem{File: p.File, Line: p.Line, Field: p.Field, Reason: p.Reason})
		}
	}
	fmt.Fprintf(w, "\nKnowledge OK: %s, %s, %s in %d file(s).\n",
		count(len(set.Products), knowledge.LayerProducts), count(len(set.Offers), knowledge.LayerOffers),
		count(len(set.Messaging), knowledge.LayerMessaging), len(set.Files))
}

func (a *app) knowledgeShowCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:       "show LAYER",
		Short:     "List one layer's entries: " + strings.Join(knowledge.Layers, ", "),
		Example:   "  tower knowledge show products\n  tower knowledge show utm --json",
		Args:      cobra.ExactArgs(1),
		ValidArgs: knowledge.Layers,
		RunE: func(cmd *cobra.Command, args []string) error {
			layer := args[0]
			if _, err := (&knowledge.Set{}).Layer(layer); err != nil {
				return err
			}
			dir, err := a.knowledgeDir(nil)
			if err != nil {
				return err
			}
			set, err := knowledge.Load(dir)
			if err != nil {
				return fmt.Errorf("%w\nRun tower knowledge check for the full report.", err)
			}
			return a.showKnowledgeLayer(set, layer, asJSON, time.Now())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

// metaJSON is the front matter of the file an entry came from.
type metaJSON struct {
	File    string `json:"file"`
	Owner   string `json:"owner"`
	Updated string `json:"updated"`
}

func metaOf(m knowledge.Meta) metaJSON { return metaJSON{m.File, m.Owner, dateOrEmpty(m.Updated)} }

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func listOrEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// offerStatus says whether an offer may be made today.
func offerStatus(o knowledge.Offer, now time.Time) string {
	switch {
	case o.Active(now):
		return "active"
	case !o.Ends.IsZero() && now.After(o.Ends):
		return "expired"
	default:
		return "upcoming"
	}
}

// showKnowledgeLayer prints one layer: a table (or JSON list) for
// products, offers and messaging; the rules for brand and utm.
func (a *app) showKnowledgeLayer(set *knowledge.Set, layer string, asJSON bool, now time.Time) error {
	w := a.stdout
	switch layer {
	case knowledge.LayerProducts:
		type row struct {
			ID        string   `json:"id"`
			Name      string   `json:"name"`
			Family    string   `json:"family"`
			Solves    string   `json:"solves"`
			For       string   `json:"for"`
			PairsWith []string `json:"pairs_with"`
			metaJSON
		}
		rows := make([]row, 0, len(set.Products))
		for _, p := range set.Products {
			rows = append(rows, row{p.ID, p.Name, p.Family, p.Solves, p.For, listOrEmpty(p.PairsWith), metaOf(p.Meta)})
		}
		if asJSON {
			return printJSON(w, rows)
		}
		t := newTable(w, "ID", "NAME", "FAMILY", "FOR", "PAIRS WITH", "OWNER")
		for _, r := range rows {
			t.row(r.ID, r.Name, r.Family, r.For, strings.Join(r.PairsWith, ", "), r.Owner)
		}
		return t.flush()
	case knowledge.LayerOffers:
		type row struct {
			ID          string `json:"id"`
			Name        string `json:"name"`
			Product     string `json:"product"`
			Description string `json:"description"`
			Audience    string `json:"audience"`
			Starts      string `json:"starts"`
			Ends        string `json:"ends"`
			Status      string `json:"status"`
			metaJSON
		}
		rows := make([]row, 0, len(set.Offers))
		for _, o := range set.Offers {
			rows = append(rows, row{o.ID, o.Name, o.Product, o.Description, o.Audience,
				dateOrEmpty(o.Starts), dateOrEmpty(o.Ends), offerStatus(o, now), metaOf(o.Meta)})
		}
		if asJSON {
			return printJSON(w, rows)
		}
		t := newTable(w, "ID", "NAME", "PRODUCT", "STARTS", "ENDS", "STATUS")
		for _, r := range rows {
			t.row(r.ID, r.Name, r.Product, r.Starts, r.Ends, r.Status)
		}
		return t.flush()
	case knowledge.LayerMessaging:
		type row struct {
			Product     string   `json:"product"`
			Audience    string   `json:"audience"`
			Headline    string   `json:"headline"`
			ValueProps  []string `json:"value_props"`
			ProofPoints []string `json:"proof_points"`
			CTA         string   `json:"cta"`
			metaJSON
		}
		rows := make([]row, 0, len(set.Messaging))
		for _, m := range set.Messaging {
			rows = append(rows, row{m.Product, m.Audience, m.Headline, listOrEmpty(m.ValueProps), listOrEmpty(m.ProofPoints), m.CTA, metaOf(m.Meta)})
		}
		if asJSON {
			return printJSON(w, rows)
		}
		t := newTable(w, "PRODUCT", "AUDIENCE", "HEADLINE", "CTA", "OWNER")
		for _, r := range rows {
			t.row(r.Product, r.Audience, r.Headline, r.CTA, r.Owner)
		}
		return t.flush()
	case knowledge.LayerBrand:
		return a.showBrand(set.Brand, asJSON)
	default:
		return a.showUTM(set.UTM, asJSON)
	}
}

func (a *app) showBrand(b *knowledge.Brand, asJSON bool) error {
	type banned struct {
		Phrase  string `json:"phrase"`
		Reason  string `json:"reason"`
		Instead string `json:"instead"`
	}
	out := struct {
		metaJSON
		Default            bool     `json:"default"`
		SubjectMaxChars    int      `json:"subject_max_chars"`
		PostalAddress      string   `json:"postal_address"`
		RequireUnsubscribe bool     `json:"require_unsubscribe"`
		Voice              []string `json:"voice"`
		Banned             []banned `json:"banned"`
	}{metaOf(b.Meta), b.File == "", b.SubjectMaxChars, b.PostalAddress, b.RequireUnsubscribe, listOrEmpty(b.Voice), []banned{}}
	for _, p := range b.BannedPhrases {
		out.Banned = append(out.Banned, banned(p))
	}
	if asJSON {
		return printJSON(a.stdout, out)
	}
	limit := "no limit"
	if b.SubjectMaxChars > 0 {
		limit = fmt.Sprintf("%d characters", b.SubjectMaxChars)
	}
	file := out.File
	if out.Default {
		file = "no brand.toml: Tower's defaults"
	}
	if err := keyValues(a.stdout, "File", file, "Owner", out.Owner, "Updated", out.Updated,
		"Subject line limit", limit, "Postal address", b.PostalAddress,
		"Unsubscribe link required", b.RequireUnsubscribe, "Voice", strings.Join(b.Voice, " / ")); err != nil {
		return err
	}
	if len(out.Banned) == 0 {
		return nil
	}
	fmt.Fprintln(a.stdout)
	t := newTable(a.stdout, "BANNED PHRASE", "WHY", "INSTEAD")
	for _, p := range out.Banned {
		t.row(p.Phrase, p.Reason, p.Instead)
	}
	return t.flush()
}

func (a *app) showUTM(u *knowledge.UTM, asJSON bool) error {
	orMap := func(m map[string]string) map[string]string {
		if m == nil {
			return map[string]string{}
		}
		return m
	}
	esp := orMap(u.SourceByESP)
	out := struct {
		metaJSON
		Default         bool              `json:"default"`
		Required        []string          `json:"required"`
		Sources         []string          `json:"sources"`
		Mediums         []string          `json:"mediums"`
		CampaignPattern string            `json:"campaign_pattern"`
		TaggedDomains   []string          `json:"tagged_domains"`
		EmailMedium     string            `json:"email_medium"`
		Lowercase       bool              `json:"lowercase"`
		SourceByESP     map[string]string `json:"source_by_esp"`
		SourceByChannel map[string]string `json:"source_by_channel"`
		MediumByChannel map[string]string `json:"medium_by_channel"`
	}{metaOf(u.Meta), u.File == "", listOrEmpty(u.Required), listOrEmpty(u.Sources), listOrEmpty(u.Mediums),
		u.CampaignPattern, listOrEmpty(u.TaggedDomains), u.EmailMedium, u.Lowercase, esp,
		orMap(u.SourceByChannel), orMap(u.MediumByChannel)}
	if asJSON {
		return printJSON(a.stdout, out)
	}
	anyOr := func(s []string) string {
		if len(s) == 0 {
			return "any"
		}
		return strings.Join(s, ", ")
	}
	file := out.File
	if out.Default {
		file = "no utm.toml: Tower's defaults"
	}
	pairs := func(m map[string]string) string {
		var out []string
		for _, k := range slices.Sorted(maps.Keys(m)) {
			out = append(out, k+"="+m[k])
		}
		return strings.Join(out, ", ")
	}
	pattern := u.CampaignPattern
	if pattern == "" {
		pattern = "any"
	}
	domains := anyOr(u.TaggedDomains)
	if len(u.TaggedDomains) == 0 {
		domains = "every http(s) link"
	}
	return keyValues(a.stdout, "File", file, "Owner", out.Owner, "Updated", out.Updated,
		"Required", anyOr(u.Required), "Sources", anyOr(u.Sources), "Mediums", anyOr(u.Mediums),
		"Campaign pattern", pattern, "Tagged domains", domains, "E-mail medium", u.EmailMedium,
		"Lower-case only", u.Lowercase, "Source by ESP", pairs(esp),
		"Source by channel", pairs(out.SourceByChannel), "Medium by channel", pairs(out.MediumByChannel))
}
