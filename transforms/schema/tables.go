package schema

// Table names.
const (
	Partners     = "partners"
	Deals        = "deals"
	DealPartners = "deal_partners"
	CSAT         = "csat"
	Churn        = "churn"
	CostToServe  = "cost_to_serve"
	Applications = "applications"
	Quarantine   = "quarantine"
	Runs         = "runs"
)

// Column names. One constant per name; a name shared by several tables
// (partner_id, amount_usd ...) means the same thing in each.
const (
	PartnerID        = "partner_id"
	PartnerName      = "partner_name"
	PartnerType      = "partner_type"
	ProgramTier      = "program_tier"
	Region           = "region"
	Vertical         = "vertical"
	Capability       = "capability"
	JoinedDate       = "joined_date"
	JoinedDateSource = "joined_date_source"
	CertifiedStaff   = "certified_staff"
	TotalStaff       = "total_staff"
	CaseStudies      = "case_studies"
	DealID           = "deal_id"
	CustomerID       = "customer_id"
	CreatedDate      = "created_date"
	ClosedDate       = "closed_date"
	Status           = "status"
	AmountUSD        = "amount_usd"
	Segment          = "segment"
	ProductCount     = "product_count"
	CustomerMaturity = "customer_maturity"
	DeliveryScope    = "delivery_scope"
	Qualified        = "qualified"
	RegisteredDate   = "registered_date"
	AEInvited        = "ae_invited"
	ServicesAttached = "services_attached"
	FirstValueDate   = "first_value_date"
	ViaMarketplace   = "via_marketplace"
	Role             = "role"
	ResponseID       = "response_id"
	RespondedDate    = "responded_date"
	Score            = "score"
	ContractStart    = "contract_start_date"
	ChurnDate        = "churn_date"
	ARRUSD           = "arr_usd"
	PeriodStart      = "period_start"
	Category         = "category"
	Hours            = "hours"
	ApplicantID      = "applicant_id"
	ApplicantName    = "applicant_name"
	AssessedDate     = "assessed_date"
	Assessor         = "assessor"
	Criterion        = "criterion"
	EvidenceNote     = "evidence_note"

	// lineage and run columns
	AsOfDate    = "as_of_date"
	RunID       = "run_id"
	SourceFile  = "source_file"
	SourceRow   = "source_row"
	SourceLines = "source_lines"

	// quarantine
	Source        = "source"
	ColumnName    = "column_name"
	Value         = "value"
	Reason        = "reason"
	Record        = "record"
	ReasonCodeCol = "reason_code"

	// runs
	Job           = "job"
	StartedAt     = "started_at"
	FinishedAt    = "finished_at"
	DurationMS    = "duration_ms"
	Outcome       = "outcome"
	Error         = "error"
	CodeVersion   = "code_version"
	ConfigDigest  = "config_digest"
	Inputs        = "inputs"
	RowsRead      = "rows_read"
	RowsAccepted  = "rows_accepted"
	RowsRejected  = "rows_quarantined"
	File          = "file"
	SHA256        = "sha256"
	Bytes         = "bytes"
	TablesWritten = "tables_written"
	Notes         = "notes"
	ReplacedRunID = "replaced_run_id"
	ConfigCol     = "config"
)

// InputOrder is the order sources load in: a table is loaded after every
// table its foreign keys point to.
var InputOrder = []string{Partners, Deals, DealPartners, CSAT, Churn, CostToServe, Applications, Decisions}

// All returns every table of the contract: inputs first in load order, then
// the tables pqi computes.
func All() []Table {
	out := []Table{partners(), deals(), dealPartners(), csat(), churn(), costToServe(), applications(), decisions(), quarantine(), runs()}
	out = append(out, qualityTables()...)
	return append(out, financeTables()...)
}

// notAfterAsOf is the rule that a date has happened by the as-of date: a
// later one cannot have been observed (a misread layout, an export taken
// after the quarter, or a placeholder such as 9999-12-31).
func notAfterAsOf(col string) Check {
	return Check{
		Column: col, Uses: []string{col},
		Code: ReasonFutureDate,
		Rule: col + " is after the as-of date",
		Fix:  "check the date layout in the mapping file and clear placeholder dates; if the export is from a later quarter, load it with that --as-of",
		Fn: func(r Row) bool {
			d, _ := r.Date(col)
			return Day(d) <= r.AsOf()
		},
	}
}

// notBefore is the rule that the date in later is on or after the one in
// earlier (checked when both are set).
func notBefore(later, earlier, fix string) Check {
	return Check{
		Column: later, Uses: []string{earlier, later},
		Code: ReasonDateOrder,
		Rule: later + " is before " + earlier,
		Fix:  fix,
		Fn: func(r Row) bool {
			e, _ := r.Date(earlier)
			l, _ := r.Date(later)
			return l >= e
		},
	}
}

func partners() Table {
	return Table{
		Name:  Partners,
		Desc:  "Partners in the program: one row per partner.",
		Input: true,
		Key:   []string{PartnerID},
		Derived: []Column{
			{Name: JoinedDateSource, Kind: Enum, Enum: JoinedSources,
				Desc: "Where joined_date comes from: export, or first_deal (the export had none: the created_date of the partner's earliest deal, any role); null when neither exists.",
				Derive: func(r Row) (string, bool) {
					if _, ok := r.Date(JoinedDate); ok {
						return JoinedFromExport.String(), true
					}
					return "", false // ingest fills first_deal once the deals are in
				}},
		},
		Columns: []Column{
			{Name: PartnerID, Kind: String, Required: true, Desc: "Partner identifier, unique."},
			{Name: PartnerName, Kind: String, Required: true, Desc: "Partner's name, any Unicode."},
			{Name: PartnerType, Kind: Enum, Enum: PartnerTypes, Desc: "Kind of partner."},
			{Name: ProgramTier, Kind: Enum, Enum: ProgramTiers, Desc: "Current program tier."},
			{Name: Region, Kind: String, Desc: "Sales region, e.g. NA, EMEA, APAC, LATAM."},
			{Name: Vertical, Kind: String, Desc: "Primary vertical, e.g. healthcare."},
			{Name: Capability, Kind: Enum, Enum: Capabilities, Desc: "Main capability."},
			{Name: JoinedDate, Kind: Date, Desc: "Date the partner joined the program; when the export has none, ingest derives it from the partner's first deal (joined_date_source says which)."},
			{Name: CertifiedStaff, Kind: Int, Min: f(0), Desc: "Staff holding a current certification."},
			{Name: TotalStaff, Kind: Int, Min: f(0), Desc: "Total staff."},
			{Name: CaseStudies, Kind: Int, Min: f(0), Desc: "Published case studies."},
		},
		Known: JoinedDate,
		Checks: []Check{
			notAfterAsOf(JoinedDate),
			{
				Column: CertifiedStaff, Uses: []string{CertifiedStaff, TotalStaff},
				Code: ReasonInconsistentCounts,
				Rule: "certified_staff is greater than total_staff",
				Fix:  "certified staff are a subset of total staff; correct one of the two counts",
				Fn: func(r Row) bool {
					c, _ := r.Int(CertifiedStaff)
					t, _ := r.Int(TotalStaff)
					return c <= t
				},
			},
		},
	}
}

func deals() Table {
	return Table{
		Name:  Deals,
		Desc:  "Deals (opportunities), open and closed: one row per deal.",
		Input: true,
		Key:   []string{DealID},
		Columns: []Column{
			{Name: DealID, Kind: String, Required: true, Desc: "Deal identifier, unique."},
			{Name: CustomerID, Kind: String, Required: true, Desc: "Customer the deal is with."},
			{Name: CreatedDate, Kind: Date, Required: true, Desc: "Date the deal was created."},
			{Name: ClosedDate, Kind: Date, Desc: "Date the deal closed; null while open."},
			{Name: Status, Kind: Enum, Required: true, Enum: DealStatuses, Desc: "open, won or lost."},
			{Name: AmountUSD, Kind: Money, Min: f(0), Desc: "Deal amount in USD."},
			{Name: Segment, Kind: Enum, Enum: Segments, Desc: "Customer segment."},
			{Name: ProductCount, Kind: Int, Min: f(1), Desc: "Number of products in the deal."},
			{Name: CustomerMaturity, Kind: Enum, Enum: CustomerMaturities, Desc: "The customer's readiness."},
			{Name: DeliveryScope, Kind: Enum, Enum: DeliveryScopes, Desc: "Scope of delivery work."},
			{Name: Qualified, Kind: Bool, Desc: "The lead passed qualification."},
			{Name: RegisteredDate, Kind: Date, Desc: "Deal registration date."},
			{Name: AEInvited, Kind: Bool, Desc: "An account executive pulled a partner in."},
			{Name: ServicesAttached, Kind: Bool, Desc: "Partner services attached to the deal."},
			{Name: FirstValueDate, Kind: Date, Desc: "Customer's first measured value."},
			{Name: ViaMarketplace, Kind: Bool, Desc: "Transacted through a marketplace."},
		},
		Known: CreatedDate,
		Undo: []Undo{
			{Date: ClosedDate, Clear: []string{ClosedDate, FirstValueDate}, Set: map[string]string{Status: "open"}},
			{Date: RegisteredDate, Clear: []string{RegisteredDate}},
			{Date: FirstValueDate, Clear: []string{FirstValueDate}},
		},
		Checks: []Check{
			notAfterAsOf(CreatedDate),
			notAfterAsOf(ClosedDate),
			notAfterAsOf(RegisteredDate),
			notAfterAsOf(FirstValueDate),
			{
				Column: ClosedDate, Uses: []string{Status},
				Code: ReasonStatusDateMismatch,
				Rule: "an open deal has a closed_date",
				Fix:  "clear closed_date on open deals, or set status to won or lost",
				Fn: func(r Row) bool {
					s, _ := r.Str(Status)
					_, closed := r.Date(ClosedDate)
					return s != "open" || !closed
				},
			},
			{
				Column: ClosedDate, Uses: []string{Status},
				Code: ReasonStatusDateMismatch,
				Rule: "a won or lost deal has no closed_date",
				Fix:  "fill closed_date for closed deals, or set status to open",
				Fn: func(r Row) bool {
					s, _ := r.Str(Status)
					_, closed := r.Date(ClosedDate)
					return s == "open" || closed
				},
			},
			notBefore(ClosedDate, CreatedDate, "a deal closes on or after the day it is created; check both dates"),
			{
				Column: FirstValueDate, Uses: []string{FirstValueDate},
				Code: ReasonStatusDateMismatch,
				Rule: "first_value_date is set on a deal that has not closed",
				Fix:  "first value is measured after the deal closes; clear it or fill closed_date",
				Fn: func(r Row) bool {
					_, closed := r.Date(ClosedDate)
					return closed
				},
			},
			notBefore(FirstValueDate, ClosedDate, "first value is measured on or after the close date; check both dates"),
		},
	}
}

func dealPartners() Table {
	return Table{
		Name:  DealPartners,
		Desc:  "Partners involved in a deal and their role; a deal with no row here is direct.",
		Input: true,
		Key:   []string{DealID, PartnerID, Role},
		Columns: []Column{
			{Name: DealID, Kind: String, Required: true, Ref: &Ref{Deals, DealID}, Desc: "Deal the partner worked on."},
			{Name: PartnerID, Kind: String, Required: true, Ref: &Ref{Partners, PartnerID}, Desc: "Partner involved."},
			{Name: Role, Kind: Enum, Required: true, Enum: DealRoles, Desc: "sourced, influenced, co_sell or delivery."},
		},
	}
}

func csat() Table {
	return Table{
		Name:  CSAT,
		Desc:  "Customer satisfaction survey responses about partners.",
		Input: true,
		Key:   []string{ResponseID},
		Columns: []Column{
			{Name: ResponseID, Kind: String, Required: true, Desc: "Survey response identifier, unique."},
			{Name: PartnerID, Kind: String, Required: true, Ref: &Ref{Partners, PartnerID}, Desc: "Partner the response is about."},
			{Name: CustomerID, Kind: String, Required: true, Desc: "Responding customer."},
			{Name: DealID, Kind: String, Ref: &Ref{Deals, DealID}, Desc: "Deal the response is about, if any."},
			{Name: RespondedDate, Kind: Date, Required: true, Desc: "Date of the response."},
			{Name: Score, Kind: Int, Required: true, Min: f(1), Max: f(5), Desc: "Satisfaction, 1 (worst) to 5 (best)."},
		},
		Known:  RespondedDate,
		Checks: []Check{notAfterAsOf(RespondedDate)},
	}
}

func churn() Table {
	return Table{
		Name:  Churn,
		Desc:  "Customer contracts and their churn: one row per contract; partner_id null = direct customer.",
		Input: true,
		Key:   []string{CustomerID, PartnerID, ContractStart},
		Columns: []Column{
			{Name: CustomerID, Kind: String, Required: true, Desc: "Customer holding the contract."},
			{Name: PartnerID, Kind: String, Ref: &Ref{Partners, PartnerID}, Desc: "Partner serving the customer; null = direct."},
			{Name: ContractStart, Kind: Date, Required: true, Desc: "Contract start date."},
			{Name: ChurnDate, Kind: Date, Desc: "Date the customer churned; null while active. The one input date that may be after the as-of date: a churn notified but not yet effective, so the customer counts as active at the as-of date."},
			{Name: ARRUSD, Kind: Money, Min: f(0), Desc: "Annual recurring revenue of the contract, USD."},
		},
		Known: ContractStart,
		Undo:  []Undo{{Date: ChurnDate, Clear: []string{ChurnDate}}},
		Checks: []Check{
			notAfterAsOf(ContractStart),
			notBefore(ChurnDate, ContractStart, "a customer churns on or after the contract starts; check both dates"),
		},
	}
}

func costToServe() Table {
	return Table{
		Name:  CostToServe,
		Desc:  "Monthly cost to serve each partner, by category.",
		Input: true,
		Key:   []string{PartnerID, PeriodStart, Category},
		Columns: []Column{
			{Name: PartnerID, Kind: String, Required: true, Ref: &Ref{Partners, PartnerID}, Desc: "Partner the cost was spent on."},
			{Name: PeriodStart, Kind: Date, Required: true, Desc: "First day of the month the cost falls in."},
			{Name: Category, Kind: Enum, Required: true, Enum: CostCategories, Desc: "Cost category."},
			{Name: AmountUSD, Kind: Money, Required: true, Min: f(0), Desc: "Cost in USD."},
			{Name: Hours, Kind: Money, Min: f(0), Desc: "Hours spent (enablement and management time)."},
		},
		Known: PeriodStart,
		Checks: []Check{
			notAfterAsOf(PeriodStart),
			{
				Column: PeriodStart, Uses: []string{PeriodStart},
				Code: ReasonNotFirstOfMonth,
				Rule: "period_start is not the first day of a month",
				Fix:  "costs are monthly; use the first day of the month (e.g. 2026-07-01)",
				Fn: func(r Row) bool {
					d, _ := r.Date(PeriodStart)
					return IsFirstOfMonth(d)
				},
			},
		},
	}
}

func applications() Table {
	return Table{
		Name:  Applications,
		Desc:  "Qualification assessments of prospective partners against the intake rubric: one row per application and criterion, scored 0 (warning sign) to 3 (good sign), as a partner team's assessment form or CRM exports them.",
		Input: true,
		Key:   []string{ApplicantID, AssessedDate, Criterion},
		Columns: []Column{
			{Name: ApplicantID, Kind: String, Required: true, Desc: "Prospective partner assessed (not yet a partner: no reference to partners)."},
			{Name: ApplicantName, Kind: String, Desc: "The applicant's name."},
			{Name: AssessedDate, Kind: Date, Required: true, Desc: "Date of the assessment; one applicant assessed twice has two applications."},
			{Name: Assessor, Kind: String, Desc: "Who assessed the application."},
			{Name: Criterion, Kind: String, Required: true, Desc: "Rubric criterion, as named in the configuration's intake.criteria (e.g. market_alignment)."},
			{Name: Score, Kind: Int, Min: f(0), Max: f(3), Desc: "0 (warning sign) to 3 (good sign); null when not yet assessed (the application is then incomplete)."},
			{Name: EvidenceNote, Kind: String, Desc: "The evidence behind the score, in the assessor's words."},
		},
		Known:  AssessedDate,
		Checks: []Check{notAfterAsOf(AssessedDate)},
	}
}

func quarantine() Table {
	return Table{
		Name: Quarantine,
		Desc: "Input rows that broke a contract rule: kept, not loaded, with the reason.",
		Columns: []Column{
			{Name: AsOfDate, Kind: Date, Required: true, Desc: "Quarter-end date of the load."},
			{Name: RunID, Kind: String, Required: true, Desc: "Run that rejected the row."},
			{Name: Source, Kind: String, Required: true, Desc: "Source table the row was meant for."},
			{Name: File, Kind: String, Required: true, Desc: "Export file the row came from."},
			{Name: SourceRow, Kind: Int, Required: true, Desc: "Row number in that file (CSV: header is row 1)."},
			{Name: ColumnName, Kind: String, Desc: "Contract column of the first problem; null when the row as a whole is unreadable."},
			{Name: Value, Kind: String, Desc: "Offending value as it appeared in the export."},
			{Name: Reason, Kind: String, Required: true, Desc: "Every problem with the row, in plain words, with the fix."},
			{Name: Record, Kind: String, Required: true, Desc: "The whole row as read, a JSON object of export column to cell, so nothing is lost."},
			{Name: ReasonCodeCol, Kind: Enum, Required: true, Enum: ReasonCodes, Desc: "Stable code of the first problem (the one column_name names), for counting and grouping rejections: " + reasonMeanings() + "."},
		},
	}
}

func runs() Table {
	return Table{
		Name: Runs,
		Desc: "One row per run of a job: inputs, configuration, code version, timings and outcome.",
		Columns: []Column{
			{Name: RunID, Kind: String, Required: true, Desc: "Run identifier, derived from as-of date, input checksums, config and code version."},
			{Name: AsOfDate, Kind: Date, Required: true, Desc: "Quarter-end date the run is for."},
			{Name: Job, Kind: String, Required: true, Desc: "Job that ran: ingest, score, publish."},
			{Name: StartedAt, Kind: Timestamp, Required: true, Desc: "When the run started (UTC)."},
			{Name: FinishedAt, Kind: Timestamp, Required: true, Desc: "When the run ended (UTC)."},
			{Name: DurationMS, Kind: Int, Required: true, Desc: "Wall time in milliseconds."},
			{Name: Outcome, Kind: String, Required: true, Desc: "succeeded or failed."},
			{Name: Error, Kind: String, Desc: "Why the run failed; null when it succeeded."},
			{Name: CodeVersion, Kind: String, Required: true, Desc: "Version of pqi that ran."},
			{Name: ConfigDigest, Kind: String, Required: true, Desc: "sha256 of the effective configuration."},
			{Name: Inputs, Kind: String, Required: true, Desc: "JSON array: one object per input file with source, file, sha256, bytes, rows_read, rows_accepted, rows_quarantined."},
			{Name: TablesWritten, Kind: String, Desc: "Comma-separated tables the run published."},
			{Name: Notes, Kind: String, Desc: "JSON array of plain-words notes: sources or columns missing and what that costs, case-mix covariates dropped, guardrails the data could not hold; null when there are none."},
			{Name: ReplacedRunID, Kind: String, Desc: "Run whose published snapshot of this as-of date the run replaced (the run_id its tables held before); equal to run_id when the same inputs, configuration and code were published again; null when there was none, and for runs that failed or publish no tables."},
			{Name: ConfigCol, Kind: String, Desc: "A score run's effective configuration, as the YAML file that reproduces it (pqi score --config); the report and the scorecards read the configuration from here. Null for other jobs and for score runs recorded before it was."},
		},
	}
}

// IsFirstOfMonth reports whether the date (a raw date32 value) is the 1st.
func IsFirstOfMonth(d int32) bool {
	return Day(d).Time().Day() == 1
}
