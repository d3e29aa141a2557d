package quality

import "github.com/partnerq/pqi/transforms/schema"

// Kinds of component: lagging outcomes, leading behaviour and activity.
const (
	kindLagging = iota
	kindLeading
	kindActivity
)

// componentKinds, componentPillar and componentSign describe each
// component: sign is +1 when a higher value is better, -1 when lower is.
var (
	componentKinds = [schema.NumComponents]int{
		schema.CompWinRate: kindLagging, schema.CompCSAT: kindLagging, schema.CompTimeToValue: kindLagging,
		schema.CompChurnRate: kindLagging, schema.CompAttachRate: kindLagging,
		schema.CompLeadQuality: kindLeading, schema.CompRegistration: kindLeading, schema.CompAEPullThrough: kindLeading,
		schema.CompCertification: kindActivity, schema.CompCaseStudies: kindActivity, schema.CompMarketplace: kindActivity,
	}
	componentPillar = [schema.NumComponents]schema.Pillar{
		schema.CompWinRate: schema.PillarCommercial, schema.CompCSAT: schema.PillarDelivery, schema.CompTimeToValue: schema.PillarDelivery,
		schema.CompChurnRate: schema.PillarDelivery, schema.CompAttachRate: schema.PillarCommercial,
		schema.CompLeadQuality: schema.PillarDiscipline, schema.CompRegistration: schema.PillarDiscipline, schema.CompAEPullThrough: schema.PillarDiscipline,
		schema.CompCertification: schema.PillarCapability, schema.CompCaseStudies: schema.PillarCapability, schema.CompMarketplace: schema.PillarCapability,
	}
	componentSign = [schema.NumComponents]float64{
		schema.CompWinRate: 1, schema.CompCSAT: 1, schema.CompTimeToValue: -1, schema.CompChurnRate: -1, schema.CompAttachRate: 1,
		schema.CompLeadQuality: 1, schema.CompRegistration: 1, schema.CompAEPullThrough: 1,
		schema.CompCertification: 1, schema.CompCaseStudies: 1, schema.CompMarketplace: 1,
	}
)

// IsActivity says whether component c is activity (certification, case
// studies, marketplace), which is capped and never borrowed into or from.
func IsActivity(c schema.Component) bool { return componentKinds[c] == kindActivity }
