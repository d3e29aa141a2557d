package gen

import (
	"math/rand/v2"
	"strings"
)

// Partner names: mostly Latin, with a share of names in other scripts and
// with diacritics, so that every consumer meets real-world Unicode.
var (
	latinFirst = []string{
		"Apex", "Blue River", "Summit", "Northwind", "Ironwood", "Clearpath", "Brightline", "Cobalt",
		"Redwood", "Granite", "Silverline", "Harbor", "Keystone", "Lighthouse", "Meridian", "Nimbus",
		"Orchard", "Pinnacle", "Quantum", "Riverbend", "Sterling", "Trailhead", "Vantage", "Westgate",
		"Bluebird", "Cascade", "Evergreen", "Foxglove", "Highland", "Juniper", "Lakeside", "Mosaic",
	}
	latinSecond = []string{
		"Data", "Cloud", "Digital", "Analytics", "Systems", "Software", "Consulting", "Networks",
		"Logic", "Insights", "Labs", "Advisory", "Integration", "Tech", "Solutions", "Partners",
	}
	latinSuffix = []string{"", "", "", " Inc.", " LLC", " Group", " Ltd", ", Inc.", " & Co.", " Corp"}

	emeaNames = []string{
		"Zürich Daten AG", "Müller & Söhne IT GmbH", "Köln Analytik", "Straße Digital GmbH",
		"Göteborg Molnlösningar AB", "Société Générale d'Intégration", "Équipe Numérique SARL",
		"Crème Données", "Αθήνα Λύσεις", "Ελληνική Πληροφορική", "Москва Софт", "Сибирь Данные",
		"Kraków Systemy", "Łódź Integracja", "Øresund Data ApS", "Åland Konsult",
		"İstanbul Bilişim", "Praha Řešení s.r.o.",
	}
	apacNames = []string{
		"東京システム", "大阪データ株式会社", "北京云科技", "上海数据咨询", "서울 데이터",
		"부산 클라우드", "台北資訊", "Hà Nội Công Nghệ", "ไทย ดาต้า", "मुंबई टेक",
	}
	latamNames = []string{
		"Soluciones Peñalara", "Información Andina S.A.", "Tecnologia São Paulo Ltda",
		"Consultoría Río de la Plata", "Integração Brasília", "Datos Bogotá", "Análisis México",
		"Gestão Digital Ltda",
	}
	naNames = []string{"Québec Données Inc.", "Montréal Analytique"}

	// share of names drawn from the non-Latin/diacritic lists, by region
	// (NA, EMEA, APAC, LATAM): about 11% overall
	unicodeShare = []float64{0.01, 0.12, 0.30, 0.25}
)

func partnerName(r *rand.Rand, region int) string {
	if r.Float64() < unicodeShare[region] {
		var list []string
		switch region {
		case 0:
			list = naNames
		case 1:
			list = emeaNames
		case 2:
			list = apacNames
		default:
			list = latamNames
		}
		return list[r.IntN(len(list))]
	}
	var b strings.Builder
	b.WriteString(latinFirst[r.IntN(len(latinFirst))])
	b.WriteByte(' ')
	b.WriteString(latinSecond[r.IntN(len(latinSecond))])
	b.WriteString(latinSuffix[r.IntN(len(latinSuffix))])
	return b.String()
}
