package store

import (
	"context"
	"time"

	"github.com/towerops/tower/internal/foundation"
)

// Effects are the changes executors make to the foundation itself. Each is
// called inside an InTx together with Runtime.ExecutionRecord, so an
// effect and the record that it happened commit together or not at all.
type Effects interface {
	// FieldSet sets one whitelisted field (see Fields) of one entity and
	// returns its value before, as text, for undo. ErrNotFound when the
	// entity does not exist; an error naming the field when it is not
	// settable.
	FieldSet(ctx context.Context, p *FieldSetParams) (before string, err error)
	// ConsentDelete removes consent facts by their natural key (system,
	// system_id, email, channel, status, at) and returns how many it removed.
	ConsentDelete(ctx context.Context, p *ConsentDeleteParams) (int, error)

	// TagsAdd adds tags; a tag already present is left alone (and not
	// counted).
	TagsAdd(ctx context.Context, p *TagsParams) (int, error)
	// TagsRemove removes tags and returns how many it removed.
	TagsRemove(ctx context.Context, p *TagsParams) (int, error)

	// TasksInsert creates tasks; TasksDelete removes them by id. TasksList
	// is on Reader, so skills can follow up on the tasks they asked for.
	TasksInsert(ctx context.Context, p *TasksInsertParams) error
	TasksDelete(ctx context.Context, p *TasksDeleteParams) (int, error)

	// NotificationsInsert queues messages for people; NotificationsList
	// orders oldest first (the order to deliver them).
	NotificationsInsert(ctx context.Context, p *NotificationsInsertParams) error
	NotificationsList(ctx context.Context, p *NotificationsListParams) ([]Notification, error)

	// PeopleMerge moves every record of the From people to Into and marks
	// them merged into it. It returns the moves so PeopleUnmerge can put
	// each record back. Merging never makes anyone sendable: consent facts
	// stay on their records, so the merged person has all of them.
	PeopleMerge(ctx context.Context, p *PeopleMergeParams) (*PeopleMergeResult, error)
	// PeopleUnmerge reverses a merge from its moves.
	PeopleUnmerge(ctx context.Context, p *PeopleUnmergeParams) error
}

// Entity kinds FieldSet and tags accept.
const (
	EntityPerson   = "person"   // ID: the person id
	EntityRecord   = "record"   // ID: "system:system_id"
	EntityAccount  = "account"  // ID: the account id
	EntityCampaign = "campaign" // ID: the campaign id
	EntityLicense  = "license"  // ID: the tool
	EntityTemplate = "template" // ID: the template id
)

// Fields lists the fields FieldSet may set, per entity. "traits.NAME" is
// also settable on person, record, account and campaign (a custom column).
// Campaign status is "active" or "paused".
var Fields = map[string][]string{
	EntityPerson:   {"first_name", "last_name", "title", "phone", "account_id", "country", "region"},
	EntityRecord:   {"first_name", "last_name", "title", "phone", "account_id", "country", "region"},
	EntityAccount:  {"name", "domain", "industry", "region", "owner_id", "tier", "lifecycle_stage"},
	EntityCampaign: {"status", "budget", "end_date", "owner_id"},
	EntityLicense:  {"seats"},
	EntityTemplate: {"subject", "body"},
}

// FieldSetParams sets Entity(ID).Field = Value. Value is text; numeric
// fields (budget, seats) parse it, and "" clears a text field.
type FieldSetParams struct {
	Entity string
	ID     string
	Field  string
	Value  string
}

// ConsentDeleteParams names consent facts by their natural key.
type ConsentDeleteParams struct{ Consents []foundation.Consent }

// Tag is a label on an entity, with the proposal that put it there.
type Tag struct {
	Entity     string
	ID         string
	Tag        string
	ProposalID string
	CreatedAt  time.Time
}

// TagsParams adds or removes tags.
type TagsParams struct{ Tags []Tag }

// TagsListParams filters tags; zero fields do not filter.
type TagsListParams struct {
	Page
	Entity string
	ID     string
	Tag    string
}

// Task is work for a person that an agent asked for.
type Task struct {
	ID         string
	Title      string
	OwnerID    string
	Due        time.Time // zero when none
	Note       string
	Targets    []string // "type:id"
	ProposalID string
	Status     string // "open" or "done"
	CreatedAt  time.Time
}

// TasksInsertParams creates tasks (natural key ID).
type TasksInsertParams struct{ Tasks []Task }

// TasksDeleteParams removes tasks by id.
type TasksDeleteParams struct{ IDs []string }

// TasksListParams filters tasks.
type TasksListParams struct {
	Page
	OwnerID    string
	ProposalID string
}

// Notification is a message queued for a person or channel.
type Notification struct {
	ID         string
	To         string
	Message    string
	Targets    []string
	ProposalID string
	CreatedAt  time.Time
	SentAt     time.Time // zero until delivered
}

// NotificationsInsertParams queues notifications (natural key ID).
type NotificationsInsertParams struct{ Notifications []Notification }

// NotificationsListParams filters notifications.
type NotificationsListParams struct {
	Page
	To         string
	ProposalID string
	Unsent     bool
}

// PeopleMergeParams merges From into Into.
type PeopleMergeParams struct {
	Into int64
	From []int64
}

// RecordMove is one record moved by a merge.
type RecordMove struct {
	System     string `json:"system"`
	SystemID   string `json:"system_id"`
	FromPerson int64  `json:"from_person"`
}

// PeopleMergeResult lists the records a merge moved.
type PeopleMergeResult struct {
	Into  int64        `json:"into"`
	From  []int64      `json:"from"`
	Moves []RecordMove `json:"moves"`
}

// PeopleUnmergeParams undoes a merge.
type PeopleUnmergeParams struct{ Merge PeopleMergeResult }
