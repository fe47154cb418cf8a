import {
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { createSignupTrigger } from "./auth/cognito-signup";
import { loadConfig } from "./config";
import { createDocumentClient, createDynamoClient } from "./db/client";
import { createCognitoProvisioner } from "./services";

/** The user pool's post-confirmation trigger on AWS: each confirmed sign-up founds its tenant (auth/cognito-signup.ts). */
const config = loadConfig();
const cognito = new CognitoIdentityProviderClient({ region: config.region });

export const handler = createSignupTrigger({
  provisioner: createCognitoProvisioner({
    db: createDocumentClient(createDynamoClient({ region: config.region })),
    tables: config.tables,
  }),
  setTenant: async (userPoolId, userName, tenantId) => {
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: userPoolId,
        Username: userName,
        UserAttributes: [{ Name: "custom:tenantId", Value: tenantId }],
      }),
    );
  },
});
