package schema

// qualityTables are the scored tables of the Partner Quality Index:
// partner_quality and interventions.
func qualityTables() []Table { return nil }
