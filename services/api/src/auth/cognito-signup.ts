import type { PostConfirmationTriggerEvent } from "aws-lambda";
import { ulid } from "ulid";
import type { SessionClaims } from "./principal";

/** Where the tenant goes: the user's `custom:tenantId` attribute, which the ID token then carries. */
export type SetTenant = (userPoolId: string, userName: string, tenantId: string) => Promise<void>;

export interface SignupTriggerDeps {
  provisioner: { found(who: SessionClaims): Promise<void> };
  setTenant: SetTenant;
  newTenantId?: () => string;
}

/**
 * The user pool's post-confirmation trigger: a confirmed sign-up founds a tenant of its own. The
 * attribute is set before the tenant is written, so whatever fails after it the user already has
 * a tenant, and the API's first-request provisioning (`CognitoProvisioner.ensure`) still gives
 * them their profile and categories. Cognito calls again after an error or a timeout; the second
 * call finds the attribute in the event and provisions into the same tenant, never a second one.
 * A pre-sign-up trigger could not do this: it runs before the user exists and cannot set attributes.
 */
export function createSignupTrigger({ provisioner, setTenant, newTenantId = ulid }: SignupTriggerDeps) {
  return async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> => {
    // A confirmed password reset fires this trigger too; that user has their tenant already.
    if (event.triggerSource !== "PostConfirmation_ConfirmSignUp") return event;
    const attributes = event.request.userAttributes;
    const { sub, email } = attributes;
    if (!sub || !email) throw new Error("A confirmed sign-up without sub or email");
    let tenantId = attributes["custom:tenantId"];
    if (!tenantId) {
      tenantId = newTenantId();
      await setTenant(event.userPoolId, event.userName, tenantId);
    }
    await provisioner.found({
      tenantId,
      userId: sub,
      email: email.toLowerCase(),
      ...(attributes.name ? { name: attributes.name } : {}),
    });
    return event;
  };
}
