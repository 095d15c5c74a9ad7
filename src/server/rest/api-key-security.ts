/** The OpenAPI security requirement of every authenticated route: either of the two API key headers. */
export const API_KEY_SECURITY: { [scheme: string]: string[] }[] = [{ apiKey: [] }, { apiKeyAuthorization: [] }];
