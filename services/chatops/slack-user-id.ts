/** Slack user ids: `U…` (workspace users) or `W…` (Enterprise Grid users). */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;
