package quality

import "github.com/partnerq/pqi/transforms/schema"

// Component indexes, in the order of schema.Components.
const (
	cWin = iota
	cCSAT
	cTTV
	cChurn
	cAttach
	cLead
	cReg
	cAE
	cCert
	cCase
	cMarket
	nComp
)

// Kinds of component: lagging outcomes, leading behaviour and activity.
const (
	kindLagging = iota
	kindLeading
	kindActivity
)

// Pillar indexes, in the order of schema.Pillars.
const (
	pDelivery = iota
	pCommercial
	pDiscipline
	pCapability
	nPillar
)

// componentKinds, componentPillar and componentSign describe each
// component: sign is +1 when a higher value is better, -1 when lower is.
var (
	componentKinds  = [nComp]int{kindLagging, kindLagging, kindLagging, kindLagging, kindLagging, kindLeading, kindLeading, kindLeading, kindActivity, kindActivity, kindActivity}
	componentPillar = [nComp]int{pCommercial, pDelivery, pDelivery, pDelivery, pCommercial, pDiscipline, pDiscipline, pDiscipline, pCapability, pCapability, pCapability}
	componentSign   = [nComp]float64{1, 1, -1, -1, 1, 1, 1, 1, 1, 1, 1}
)

func componentIndex(name string) int {
	for i, c := range schema.Components {
		if c == name {
			return i
		}
	}
	return -1
}
