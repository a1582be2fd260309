/** How call values read on the page. Unknown values show as themselves, made readable. */

const STATUS: Record<string, string> = {
  queued: "Ringing",
  in_progress: "In progress",
  completed: "Completed",
  failed: "Failed",
  no_answer: "No answer",
  voicemail: "Voicemail",
  busy: "Busy",
};

const OUTCOME: Record<string, string> = {
  meeting_booked: "Meeting booked",
  interested: "Interested",
  call_back: "Call back",
  not_interested: "Not interested",
  do_not_call: "Do not call",
  no_response: "No response",
  conversation: "Conversation",
  ...STATUS,
};

const SENTIMENT: Record<string, string> = { positive: "Positive", neutral: "Neutral", negative: "Negative" };

const readable = (value: string) => value.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase());

export const statusLabel = (status: string) => STATUS[status] ?? readable(status);
export const outcomeLabel = (outcome: string | null) => (outcome ? (OUTCOME[outcome] ?? readable(outcome)) : "—");
export const sentimentLabel = (sentiment: string | null) => (sentiment ? (SENTIMENT[sentiment] ?? readable(sentiment)) : "—");
export const scoreLabel = (score: number | null) => (score === null ? "—" : String(Math.round(score)));

/** 36 → "0:36", 3725 → "1:02:05". */
export function clock(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

export const durationLabel = (seconds: number | null) => (seconds === null ? "—" : clock(seconds));

/** A duration as words for screen readers and sentences: "1 min 5 s", "36 s". */
export function durationWords(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min${s % 60 ? ` ${s % 60} s` : ""}` : `${s} s`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
export const whenLabel = (iso: string | null) => (iso && !Number.isNaN(Date.parse(iso)) ? dateTime.format(new Date(iso)) : "—");

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2 });
export const costLabel = (cents: number | null) => (cents === null ? "—" : `${usd.format(cents / 100)} (estimate)`);

export const roleLabel = (role: string) => (role === "agent" ? "Agent" : role === "callee" ? "Callee" : readable(role));
