/** The demo org `npm start` seeds: one owner, a script, a voice, leads and a draft campaign. */

export const demoUser = { email: "demo@noir.local", name: "Demo Owner" };

export const demoScript = {
  name: "Clinic booking assistant — first touch",
  content: [
    "You are Olena, calling on behalf of Lumen, a booking assistant for private clinics.",
    "Goal: book a 20-minute demo with the person who runs the front desk or the clinic.",
    "1. Greet the lead by first name, say who you are and why you are calling in one sentence.",
    "2. Ask how they take bookings today and how many calls they miss after hours.",
    "3. If missed calls matter to them: Lumen answers every call and message 24/7 and books",
    "   straight into their calendar; clinics like theirs recover 15–20 bookings a month.",
    "4. Offer two concrete demo slots this week. Confirm the time and the best email for the invite.",
    "Keep every answer under two sentences. Never invent prices or features not listed here.",
  ].join("\n"),
  objectionHandlers: [
    {
      triggers: ["too expensive", "price", "cost", "дорого"],
      response: "Most clinics cover the plan with two extra bookings a month. The demo shows your own numbers, with no commitment.",
    },
    {
      triggers: ["not interested", "no thanks", "не цікаво"],
      response: "Understood. May I send a one-page summary by email, so you have it if missed calls ever become a problem?",
    },
    {
      triggers: ["send me an email", "send details", "email me"],
      response: "Of course. What is the best address? I will send a short summary and two demo slots.",
    },
    {
      triggers: ["we already use", "have a system", "already have"],
      response: "Lumen works alongside your current system and only picks up the calls and messages nobody answers.",
    },
  ],
};

export const demoVoice = {
  // The agent introduces itself by this name on calls.
  name: "Olena",
  // The sandbox ElevenLabs account's Ukrainian voice (GET /api/dashboard/voices lists the account's
  // voices; with a real ElevenLabs key, pick one of yours on the Voice setup page).
  voiceId: "sbxOlenaUk7Qm2Lp9Xz1",
  language: "uk-en",
  personality: "friendly",
  speed: 1,
};

export const demoCampaign = {
  name: "Kyiv clinics — spring outreach",
  channels: ["telegram", "voice", "email"],
  channelPriority: ["telegram", "voice", "email"],
};

/** How many of the imported leads the demo campaign gets. */
export const campaignLeadCount = 20;
