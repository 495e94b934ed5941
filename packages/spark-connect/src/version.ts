/** Version of this client, reported in the user agent and `client_type`. */
export const CLIENT_VERSION = '0.1.0';
