// The console's browser test: a person runs the demo loop in Chromium —
// signs in, opens the inbox, approves a proposal and sees it executed with
// its audit entries, rejects one with a reason, pulls the kill switch and
// sees that an approval then waits, resumes, reads the scorecards and the
// value report — and every main page is saved as a screenshot.
//
// Environment: TOWER_URL (the console), TOWER_USER and TOWER_PASSWORD (an
// admin), TOWER_ARTIFACTS (where screenshots go), CHROMIUM (default
// /usr/bin/chromium). Exits 1 with the failing step on any failure.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const base = process.env.TOWER_URL;
const user = process.env.TOWER_USER;
const password = process.env.TOWER_PASSWORD;
const artifacts = process.env.TOWER_ARTIFACTS || "artifacts";
if (!base || !user || !password) {
  console.error("set TOWER_URL, TOWER_USER and TOWER_PASSWORD");
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });

let step = "starting Chromium";
const log = (msg) => console.log(`ok  ${msg}`);
const expect = (cond, msg) => {
  if (!cond) throw new Error(msg);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(15000);
const errors = [];
page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
page.on("console", (m) => {
  if (m.type() === "error") errors.push(`console error: ${m.text()}`);
});

const shot = async (name) => {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
};

// statusOf opens a proposal's page and returns the status word it shows.
const statusOf = async (id) => {
  await page.goto(`${base}/proposals/${id}`);
  return (await page.locator("#status").innerText()).trim().toLowerCase().replace(/ /g, "_");
};

// auditActions lists the data-action of every audit entry on the page.
const auditActions = async () =>
  page.locator("#audit [data-action]").evaluateAll((els) => els.map((e) => e.dataset.action));

// inboxIDs lists the proposals in the inbox, in the order shown.
const inboxIDs = async () => {
  await page.goto(`${base}/`);
  return page.locator("tr[data-proposal]").evaluateAll((rows) => rows.map((r) => r.dataset.proposal));
};

try {
  step = "signing in";
  await page.goto(`${base}/`);
  expect(page.url().includes("/signin"), `an anonymous visit should land on the sign-in page, got ${page.url()}`);
  await shot("signin");
  await page.fill("#user", user);
  await page.fill("#password", "not the password");
  await page.click("button[type=submit]");
  expect(await page.locator("[role=alert]").count() > 0, "a wrong password shows no error");
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/`);
  // The deliberate wrong password above is answered 401, which Chromium
  // logs as a failed load; only what happens once signed in counts.
  errors.length = 0;
  log("signed in");

  step = "opening the inbox";
  let ids = await inboxIDs();
  expect(ids.length >= 3, `the inbox should hold proposals to decide, found ${ids.length}`);
  await shot("inbox");
  log(`inbox shows ${ids.length} proposals`);

  step = "approving a proposal";
  const approved = ids[0];
  const row = page.locator(`tr[data-proposal="${approved}"]`);
  await row.locator("form.decide button[name=decision][value=approve]").click();
  await page.waitForLoadState();
  let status = await statusOf(approved);
  expect(status === "executed", `approved proposal ${approved} shows status ${status}, want executed`);
  let actions = await auditActions();
  for (const want of ["proposal.approved", "proposal.executed"]) {
    expect(actions.includes(want), `proposal ${approved}'s audit entries ${JSON.stringify(actions)} lack ${want}`);
  }
  await shot("proposal-executed");
  log(`approved ${approved}: executed, audit has ${actions.length} entries`);

  step = "rejecting a proposal with a reason";
  ids = await inboxIDs();
  expect(!ids.includes(approved), "the approved proposal is still in the inbox");
  const rejected = ids[0];
  const rrow = page.locator(`tr[data-proposal="${rejected}"]`);
  await rrow.locator("form.reject [name=reason]").fill("Not this quarter: the list is being rebuilt");
  await rrow.locator("form.reject button[value=reject]").click();
  await page.waitForLoadState();
  status = await statusOf(rejected);
  expect(status === "rejected", `rejected proposal ${rejected} shows status ${status}`);
  expect((await auditActions()).includes("proposal.rejected"), "no proposal.rejected audit entry");
  expect((await page.content()).includes("Not this quarter"), "the rejection reason is not shown");
  log(`rejected ${rejected} with a reason`);

  step = "pulling the kill switch";
  await page.goto(`${base}/`);
  await page.locator("#pause-form [name=reason]").fill("Investigating a bad sync");
  await page.locator("#pause-form button[type=submit]").click();
  await page.waitForLoadState();
  expect(await page.locator("#kill-banner").isVisible(), "no banner after pausing execution");
  ids = await inboxIDs();
  const held = ids[0];
  await page.locator(`tr[data-proposal="${held}"] form.decide button[name=decision][value=approve]`).click();
  await page.waitForLoadState();
  status = await statusOf(held);
  expect(status !== "executed", `proposal ${held} executed while execution was paused`);
  await shot("kill-switch");
  log(`kill switch on: ${held} approved but ${status}, not executed`);

  step = "resuming execution";
  await page.goto(`${base}/`);
  await page.locator("#resume-form button[type=submit]").click();
  await page.waitForLoadState();
  expect(await page.locator("#kill-banner").count() === 0, "the banner is still shown after resuming");
  log("execution resumed");

  step = "the audit log";
  await page.goto(`${base}/audit`);
  const verify = await page.locator("#verify").innerText();
  expect(/intact/i.test(verify), `the audit page says: ${verify}`);
  await shot("audit");
  log("audit chain intact");

  step = "the other pages";
  for (const [name, path] of [["proposals", "/proposals"], ["agents", "/agents"], ["policies", "/policies"],
    ["briefing", "/briefing"], ["accounts", "/accounts"]]) {
    const resp = await page.goto(`${base}${path}`);
    expect(resp.status() === 200, `${path} answered ${resp.status()}`);
    await shot(name);
  }
  await page.goto(`${base}/agents`);
  expect(await page.locator("tr[data-agent]").count() > 0, "the agents page lists no agents");
  await page.goto(`${base}/people`);
  await page.fill("#search", "a");
  await page.press("#search", "Enter");
  await page.waitForLoadState();
  await shot("people");
  const person = page.locator("a[href^='/people/']").first();
  if (await person.count() > 0) {
    await person.click();
    await page.waitForLoadState();
    await shot("person");
  }
  log("every main page renders");

  step = "the scorecards";
  let resp = await page.goto(`${base}/scorecards`);
  expect(resp.status() === 200, `/scorecards answered ${resp.status()}`);
  expect(await page.locator("table.scorecards tbody tr[data-key]").count() > 0, "the scorecards page has no rows");
  expect(await page.locator("svg.chart-kind-line").count() > 0, "the scorecards page draws no trend chart");
  expect(await page.locator("svg.chart-kind-pairs").count() > 0, "the scorecards page draws no value chart");
  await page.selectOption("#s-by", "skill");
  await page.click("form.filters button[type=submit]");
  await page.waitForLoadState();
  expect(/by=skill/.test(page.url()), `choosing per skill went to ${page.url()}`);
  expect(await page.locator("table.scorecards tbody tr[data-key]").count() > 0, "the scorecards per skill have no rows");
  await shot("scorecards");
  log("scorecards: a table and charts");

  step = "the value report";
  resp = await page.goto(`${base}/value`);
  expect(resp.status() === 200, `/value answered ${resp.status()}`);
  expect(await page.locator("table.value-table tbody tr[data-key]").count() > 0, "the value report has no table rows");
  expect(await page.locator("svg.chart-kind-pairs").count() > 0, "the value report draws no chart");
  await shot("value");
  log("value report: a table and a chart");

  step = "a phone-sized screen";
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/`);
  await shot("inbox-phone");

  step = "checking the browser console";
  expect(errors.length === 0, errors.join("\n"));
  log("no script errors");
} catch (e) {
  console.error(`FAIL while ${step}: ${e.message}`);
  try {
    await shot("failure");
  } catch {}
  await browser.close();
  process.exit(1);
}
await browser.close();
