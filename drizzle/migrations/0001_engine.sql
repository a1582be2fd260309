CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`campaign_id` text,
	`lead_id` text,
	`body` text NOT NULL,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `dead_letters_org_idx` ON `dead_letters` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_receipts` (
	`delivery_id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `organizations` ADD `max_touches_per_day` integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `max_touches_per_week` integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE `campaign_leads` ADD `next_at` integer;--> statement-breakpoint
ALTER TABLE `campaign_leads` ADD `note` text;--> statement-breakpoint
CREATE INDEX `campaign_leads_due_idx` ON `campaign_leads` (`campaign_id`,`status`,`lead_id`);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `steps` text DEFAULT '[{"delayMinutes":0,"channels":null,"stopOnReply":true}]' NOT NULL;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `started_at` integer;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `completed_at` integer;--> statement-breakpoint
ALTER TABLE `dispatch_outbox` ADD `payload` text;--> statement-breakpoint
ALTER TABLE `dispatch_outbox` ADD `message_id` text;--> statement-breakpoint
CREATE INDEX `messages_org_lead_time_idx` ON `messages` (`org_id`,`lead_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_idempotency_unique` ON `messages` (`idempotency_key`);