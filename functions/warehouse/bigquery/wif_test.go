package bigquery_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"cloud.google.com/go/auth/credentials"
	"github.com/partnerq/pqi/functions/warehouse/bigquery"
)

// The credential configuration built from the SAM template's parameters
// is the external_account file gcloud writes for an AWS provider, and the
// Google auth library accepts it (building credentials needs no network;
// only a token request would).
func TestWorkloadIdentityFromTemplateParameters(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-central-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	wif := bigquery.AWSWorkloadIdentity{ProjectNumber: "123456789012", Pool: "pqi-aws", Provider: "pqi-lambda",
		ServiceAccount: "pqi-loader@acme-analytics.iam.gserviceaccount.com"}
	b, err := wif.CredentialsJSON()
	if err != nil {
		t.Fatal(err)
	}
	var conf map[string]any
	if err := json.Unmarshal(b, &conf); err != nil {
		t.Fatal(err)
	}
	src, _ := conf["credential_source"].(map[string]any)
	for k, want := range map[string]any{
		"type":                              "external_account",
		"audience":                          "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pqi-aws/providers/pqi-lambda",
		"subject_token_type":                "urn:ietf:params:aws:token-type:aws4_request",
		"token_url":                         "https://sts.googleapis.com/v1/token",
		"service_account_impersonation_url": "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/pqi-loader@acme-analytics.iam.gserviceaccount.com:generateAccessToken",
	} {
		if conf[k] != want {
			t.Errorf("%s = %v, want %v", k, conf[k], want)
		}
	}
	if src["environment_id"] != "aws1" || !strings.Contains(src["regional_cred_verification_url"].(string), "GetCallerIdentity") {
		t.Errorf("credential_source = %v", src)
	}
	if strings.Contains(string(b), "private_key") {
		t.Error("a key in the configuration")
	}
	creds, err := credentials.DetectDefault(&credentials.DetectOptions{
		CredentialsJSON: b, Scopes: []string{"https://www.googleapis.com/auth/bigquery"},
	})
	if err != nil {
		t.Fatalf("the Google auth library rejects the configuration: %v", err)
	}
	if u, err := creds.UniverseDomain(context.Background()); err != nil || u != "googleapis.com" {
		t.Errorf("universe domain %q, %v", u, err)
	}
	if _, err := wif.ClientOption(); err != nil {
		t.Error(err)
	}
	for _, bad := range []bigquery.AWSWorkloadIdentity{
		{ProjectNumber: "acme-analytics", Pool: "pqi-aws", Provider: "pqi-lambda"},
		{ProjectNumber: "123456789012", Pool: "P", Provider: "pqi-lambda"},
		{ProjectNumber: "123456789012", Pool: "pqi-aws", Provider: "pqi-lambda", ServiceAccount: "someone@gmail.com"},
	} {
		if _, err := bad.CredentialsJSON(); err == nil {
			t.Errorf("%+v: accepted", bad)
		}
	}
}
