package bigquery

import (
	"encoding/json"
	"fmt"
	"regexp"

	"google.golang.org/api/option"
)

// AWSWorkloadIdentity is a Google Cloud Workload Identity Federation
// provider for AWS: it lets code running under an AWS role (a Lambda
// function) reach BigQuery with no service-account key anywhere. The
// credential configuration it builds is what `gcloud iam
// workload-identity-pools create-cred-config --aws` writes; the AWS
// credentials are read from the environment Lambda sets (docs/bigquery.md,
// "BigQuery from AWS").
type AWSWorkloadIdentity struct {
	ProjectNumber  string // the Google Cloud project number that holds the pool (digits, not the project id)
	Pool           string // workload identity pool id
	Provider       string // the pool's AWS provider id
	ServiceAccount string // email of a service account to impersonate; "" = the federated identity holds the BigQuery roles itself
}

var (
	wifID     = regexp.MustCompile(`^[a-z0-9-]{4,32}$`)
	wifNumber = regexp.MustCompile(`^[0-9]{1,20}$`)
	wifEmail  = regexp.MustCompile(`^[a-z0-9-]+@[a-z0-9-]+\.iam\.gserviceaccount\.com$`)
)

// CredentialsJSON is the external_account credential configuration.
func (a AWSWorkloadIdentity) CredentialsJSON() ([]byte, error) {
	switch {
	case !wifNumber.MatchString(a.ProjectNumber):
		return nil, fmt.Errorf("workload identity: project number %q is not the project's number (digits; gcloud projects describe PROJECT --format='value(projectNumber)')", a.ProjectNumber)
	case !wifID.MatchString(a.Pool):
		return nil, fmt.Errorf("workload identity: pool id %q is not 4-32 lower-case letters, digits or hyphens", a.Pool)
	case !wifID.MatchString(a.Provider):
		return nil, fmt.Errorf("workload identity: provider id %q is not 4-32 lower-case letters, digits or hyphens", a.Provider)
	case a.ServiceAccount != "" && !wifEmail.MatchString(a.ServiceAccount):
		return nil, fmt.Errorf("workload identity: %q is not a service account email (NAME@PROJECT.iam.gserviceaccount.com)", a.ServiceAccount)
	}
	type source struct {
		EnvironmentID               string `json:"environment_id"`
		RegionURL                   string `json:"region_url"`
		URL                         string `json:"url"`
		RegionalCredVerificationURL string `json:"regional_cred_verification_url"`
		IMDSv2SessionTokenURL       string `json:"imdsv2_session_token_url"`
	}
	conf := struct {
		Type             string `json:"type"`
		Audience         string `json:"audience"`
		SubjectTokenType string `json:"subject_token_type"`
		TokenURL         string `json:"token_url"`
		ImpersonationURL string `json:"service_account_impersonation_url,omitempty"`
		UniverseDomain   string `json:"universe_domain"`
		CredentialSource source `json:"credential_source"`
	}{
		Type:             "external_account",
		Audience:         fmt.Sprintf("//iam.googleapis.com/projects/%s/locations/global/workloadIdentityPools/%s/providers/%s", a.ProjectNumber, a.Pool, a.Provider),
		SubjectTokenType: "urn:ietf:params:aws:token-type:aws4_request",
		TokenURL:         "https://sts.googleapis.com/v1/token",
		UniverseDomain:   "googleapis.com",
		CredentialSource: source{
			EnvironmentID: "aws1",
			// Lambda sets AWS_REGION and the role's keys in the
			// environment, which the Google library reads first; these
			// metadata addresses serve EC2 and ECS.
			RegionURL:                   "http://169.254.169.254/latest/meta-data/placement/availability-zone",
			URL:                         "http://169.254.169.254/latest/meta-data/iam/security-credentials",
			RegionalCredVerificationURL: "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15",
			IMDSv2SessionTokenURL:       "http://169.254.169.254/latest/api/token",
		},
	}
	if a.ServiceAccount != "" {
		conf.ImpersonationURL = "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/" + a.ServiceAccount + ":generateAccessToken"
	}
	return json.MarshalIndent(conf, "", "  ")
}

// ClientOption is the BigQuery client option that authenticates with it.
func (a AWSWorkloadIdentity) ClientOption() (option.ClientOption, error) {
	b, err := a.CredentialsJSON()
	if err != nil {
		return nil, err
	}
	return option.WithAuthCredentialsJSON(option.ExternalAccount, b), nil
}
