import { createCallDetail } from "./call-detail";
import { createCallsList } from "./calls-list";
import { must } from "./dom";
import { createLeadNames } from "./lead-names";
import { startSignedInPage } from "./session-gate";
import { createTestCall } from "./test-call";
import { createUsageView } from "./usage-view";

/**
 * /dashboard/calls: the test call (placed and followed live), the month's voice minutes, the
 * org's calls and a call's detail. When a test call ends, the list and the chart refresh.
 */
export function startCallsPage(doc: Document): void {
  const workspace = must<HTMLElement>(doc, "#calls-workspace");
  const names = createLeadNames();
  const list = createCallsList(doc, must<HTMLElement>(doc, "#calls"), names, (id) => detail.open(id));
  const detail = createCallDetail(doc, must<HTMLDialogElement>(doc, "#call-detail"), names, {
    changed: (call) => list.update(call),
    returnFocus: (id) => list.linkFor(id) ?? must<HTMLElement>(doc, "#calls-title"),
  });
  const usage = createUsageView(doc, must<HTMLElement>(doc, "#usage"));
  const testCall = createTestCall(doc, must<HTMLElement>(doc, "#test-call"), names, {
    open: (id) => detail.open(id),
    started: () => void list.reload(),
    ended: () => {
      void list.reload();
      void usage.load();
    },
  });

  startSignedInPage(doc, workspace, () => {
    void testCall.start();
    void usage.load();
    void list.reload();
    // A link to one call (`?call=<id>`) opens it straight away.
    const linked = new URL(doc.URL).searchParams.get("call");
    if (linked) detail.open(linked);
  });
}
