// Drives Mailtrap's official Node SDK, unchanged, against the simulator in SDK mode. The environment does
// the pointing: HTTPS_PROXY (the simulator) and NODE_EXTRA_CA_CERTS (its certificate), as
// `mailtrap-tokens serve --sdk-ca FILE` prints them. Prints one line per step; exits non-zero on failure.
const { MailtrapClient } = require("mailtrap");

const accountId = Number(process.env.MAILTRAP_ACCOUNT_ID);
const client = new MailtrapClient({ token: process.env.MAILTRAP_API_TOKEN, accountId });
const tokens = client.general.apiTokens;

(async () => {
  const listed = await tokens.getList();
  console.log("list", listed.length);
  const resources = [{ resource_type: "account", resource_id: accountId, access_level: 10 }];
  const created = await tokens.create({ name: "node sdk", resources });
  if (created.token.length !== 32) throw new Error("a secret of 32 characters");
  console.log("create", created.id);
  const got = await tokens.get(created.id);
  if (got.name !== "node sdk") throw new Error(`get returned ${got.name}`);
  console.log("get", got.name);
  const reset = await tokens.reset(created.id);
  if (reset.name !== `node sdk ${reset.id}`) throw new Error(`reset returned ${reset.name}`);
  console.log("reset", reset.name);
  await tokens.delete(reset.id);
  console.log("delete ok");
})().catch((e) => {
  console.error("failed:", e.message);
  process.exit(1);
});
