CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`last4` text NOT NULL,
	`created_by` text,
	`last_used_at` integer,
	`expires_at` integer,
	`revoked_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_org_idx` ON `api_keys` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`actor_user_id` text,
	`actor_api_key_id` text,
	`action` text NOT NULL,
	`resource_type` text NOT NULL,
	`resource_id` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `audit_log_org_idx` ON `audit_log` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `org_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`email` text NOT NULL,
	`role` text DEFAULT 'member' NOT NULL,
	`token_hash` text NOT NULL,
	`invited_by` text,
	`expires_at` integer NOT NULL,
	`accepted_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`invited_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "org_invitations_role_check" CHECK("org_invitations"."role" IN ('owner', 'admin', 'member'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `org_invitations_token_unique` ON `org_invitations` (`token_hash`);--> statement-breakpoint
CREATE INDEX `org_invitations_org_idx` ON `org_invitations` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `org_members` (
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text DEFAULT 'member' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`org_id`, `user_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "org_members_role_check" CHECK("org_members"."role" IN ('owner', 'admin', 'member'))
);
--> statement-breakpoint
CREATE INDEX `org_members_user_idx` ON `org_members` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`plan` text DEFAULT 'free' NOT NULL,
	`default_region` text DEFAULT 'UA' NOT NULL,
	`personal_owner_id` text,
	`stripe_customer_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`personal_owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "organizations_plan_check" CHECK("organizations"."plan" IN ('free', 'starter', 'growth', 'enterprise'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_personal_owner_unique` ON `organizations` (`personal_owner_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text,
	`name` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `channel_configs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`channel` text NOT NULL,
	`config` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "channel_configs_channel_check" CHECK("channel_configs"."channel" IN ('telegram', 'voice', 'email')),
	CONSTRAINT "channel_configs_status_check" CHECK("channel_configs"."status" IN ('active', 'inactive'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `channel_configs_org_channel_unique` ON `channel_configs` (`org_id`,`channel`);--> statement-breakpoint
CREATE TABLE `phone_numbers` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`number` text NOT NULL,
	`label` text,
	`provider` text DEFAULT 'twilio' NOT NULL,
	`provider_sid` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "phone_numbers_status_check" CHECK("phone_numbers"."status" IN ('active', 'inactive', 'pending'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `phone_numbers_number_unique` ON `phone_numbers` (`number`);--> statement-breakpoint
CREATE INDEX `phone_numbers_org_idx` ON `phone_numbers` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `scripts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`content` text DEFAULT '' NOT NULL,
	`objection_handlers` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scripts_org_idx` ON `scripts` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `voice_configs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`voice_id` text NOT NULL,
	`language` text DEFAULT 'uk' NOT NULL,
	`personality` text DEFAULT 'professional' NOT NULL,
	`speed` real DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "voice_configs_language_check" CHECK("voice_configs"."language" IN ('uk', 'en', 'uk-en', 'de', 'pl', 'fr', 'es')),
	CONSTRAINT "voice_configs_personality_check" CHECK("voice_configs"."personality" IN ('professional', 'friendly', 'assertive', 'empathetic', 'casual')),
	CONSTRAINT "voice_configs_speed_check" CHECK("voice_configs"."speed" BETWEEN 0.7 AND 1.2)
);
--> statement-breakpoint
CREATE INDEX `voice_configs_org_idx` ON `voice_configs` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`url` text NOT NULL,
	`events` text DEFAULT '[]' NOT NULL,
	`secret_ciphertext` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_org_idx` ON `webhook_endpoints` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `lead_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`file_name` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`expected_rows` integer,
	`mapping` text,
	`chunks_done` text DEFAULT '[]' NOT NULL,
	`processed_rows` integer DEFAULT 0 NOT NULL,
	`imported` integer DEFAULT 0 NOT NULL,
	`duplicates` integer DEFAULT 0 NOT NULL,
	`invalid` integer DEFAULT 0 NOT NULL,
	`errors` text DEFAULT '[]' NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "lead_imports_status_check" CHECK("lead_imports"."status" IN ('open', 'completed'))
);
--> statement-breakpoint
CREATE INDEX `lead_imports_org_idx` ON `lead_imports` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `leads` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`first_name` text,
	`last_name` text,
	`phone` text,
	`email` text,
	`telegram_username` text,
	`company` text,
	`timezone` text,
	`status` text DEFAULT 'new' NOT NULL,
	`notes` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "leads_status_check" CHECK("leads"."status" IN ('new', 'contacted', 'replied', 'qualified', 'converted', 'rejected'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `leads_org_phone_unique` ON `leads` (`org_id`,`phone`);--> statement-breakpoint
CREATE UNIQUE INDEX `leads_org_email_unique` ON `leads` (`org_id`,`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `leads_org_telegram_unique` ON `leads` (`org_id`,`telegram_username`);--> statement-breakpoint
CREATE INDEX `leads_org_idx` ON `leads` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `leads_org_status_idx` ON `leads` (`org_id`,`status`,`id`);--> statement-breakpoint
CREATE TABLE `suppressions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text,
	`value` text NOT NULL,
	`lead_id` text,
	`reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "suppressions_kind_check" CHECK("suppressions"."kind" IN ('opt_out', 'bounce', 'complaint', 'do_not_call', 'manual'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `suppressions_org_value_unique` ON `suppressions` (`org_id`,`value`);--> statement-breakpoint
CREATE INDEX `suppressions_org_idx` ON `suppressions` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `campaign_leads` (
	`campaign_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`org_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`last_channel` text,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`campaign_id`, `lead_id`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "campaign_leads_status_check" CHECK("campaign_leads"."status" IN ('pending', 'in_progress', 'succeeded', 'failed', 'skipped'))
);
--> statement-breakpoint
CREATE INDEX `campaign_leads_lead_idx` ON `campaign_leads` (`lead_id`);--> statement-breakpoint
CREATE INDEX `campaign_leads_org_idx` ON `campaign_leads` (`org_id`,`campaign_id`,`status`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`script_id` text,
	`voice_config_id` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`channels` text NOT NULL,
	`channel_priority` text NOT NULL,
	`schedule` text NOT NULL,
	`start_at` integer,
	`paused_reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`script_id`) REFERENCES `scripts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`voice_config_id`) REFERENCES `voice_configs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "campaigns_status_check" CHECK("campaigns"."status" IN ('draft', 'active', 'paused', 'completed', 'cancelled'))
);
--> statement-breakpoint
CREATE INDEX `campaigns_org_idx` ON `campaigns` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `campaigns_org_status_idx` ON `campaigns` (`org_id`,`status`,`id`);--> statement-breakpoint
CREATE TABLE `dispatch_outbox` (
	`idempotency_key` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`step` integer NOT NULL,
	`channel` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`provider_message_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "dispatch_outbox_state_check" CHECK("dispatch_outbox"."state" IN ('pending', 'sending', 'sent', 'failed')),
	CONSTRAINT "dispatch_outbox_channel_check" CHECK("dispatch_outbox"."channel" IN ('telegram', 'voice', 'email')),
	CONSTRAINT "dispatch_outbox_step_check" CHECK("dispatch_outbox"."step" >= 0)
);
--> statement-breakpoint
CREATE INDEX `dispatch_outbox_campaign_idx` ON `dispatch_outbox` (`org_id`,`campaign_id`,`state`);--> statement-breakpoint
CREATE TABLE `call_logs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`lead_id` text,
	`campaign_id` text,
	`phone_number_id` text,
	`direction` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`from_number` text,
	`to_number` text,
	`provider_call_id` text,
	`duration_seconds` integer,
	`started_at` integer,
	`ended_at` integer,
	`transcript` text DEFAULT '[]' NOT NULL,
	`summary` text,
	`sentiment` text,
	`score` real,
	`outcome` text,
	`cost_estimate_cents` integer,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`phone_number_id`) REFERENCES `phone_numbers`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "call_logs_direction_check" CHECK("call_logs"."direction" IN ('outbound', 'inbound')),
	CONSTRAINT "call_logs_status_check" CHECK("call_logs"."status" IN ('queued', 'in_progress', 'completed', 'failed', 'no_answer', 'voicemail', 'busy')),
	CONSTRAINT "call_logs_sentiment_check" CHECK("call_logs"."sentiment" IS NULL OR "call_logs"."sentiment" IN ('positive', 'negative', 'neutral')),
	CONSTRAINT "call_logs_score_check" CHECK("call_logs"."score" IS NULL OR "call_logs"."score" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE INDEX `call_logs_org_idx` ON `call_logs` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `call_logs_org_lead_idx` ON `call_logs` (`org_id`,`lead_id`,`id`);--> statement-breakpoint
CREATE INDEX `call_logs_provider_idx` ON `call_logs` (`provider_call_id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`campaign_id` text,
	`channel` text NOT NULL,
	`direction` text NOT NULL,
	`status` text NOT NULL,
	`subject` text,
	`content` text,
	`provider_message_id` text,
	`parent_id` text,
	`idempotency_key` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "messages_channel_check" CHECK("messages"."channel" IN ('telegram', 'voice', 'email')),
	CONSTRAINT "messages_direction_check" CHECK("messages"."direction" IN ('outbound', 'inbound')),
	CONSTRAINT "messages_status_check" CHECK("messages"."status" IN ('pending', 'sent', 'delivered', 'read', 'replied', 'failed', 'bounced'))
);
--> statement-breakpoint
CREATE INDEX `messages_org_idx` ON `messages` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_org_lead_idx` ON `messages` (`org_id`,`lead_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_org_campaign_idx` ON `messages` (`org_id`,`campaign_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_provider_idx` ON `messages` (`provider_message_id`);--> statement-breakpoint
CREATE TABLE `telegram_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`phone` text NOT NULL,
	`username` text,
	`display_name` text,
	`session_ciphertext` text,
	`status` text DEFAULT 'warming_up' NOT NULL,
	`daily_sent_count` integer DEFAULT 0 NOT NULL,
	`daily_count_date` text,
	`daily_limit` integer DEFAULT 10 NOT NULL,
	`cooldown_until` integer,
	`last_sent_at` integer,
	`warmup_started_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "telegram_accounts_status_check" CHECK("telegram_accounts"."status" IN ('warming_up', 'active', 'cooldown', 'banned', 'disabled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `telegram_accounts_org_phone_unique` ON `telegram_accounts` (`org_id`,`phone`);--> statement-breakpoint
CREATE INDEX `telegram_accounts_org_idx` ON `telegram_accounts` (`org_id`,`status`,`daily_sent_count`);--> statement-breakpoint
CREATE TABLE `usage_counters` (
	`org_id` text NOT NULL,
	`period` text NOT NULL,
	`metric` text NOT NULL,
	`used` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org_id`, `period`, `metric`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "usage_counters_metric_check" CHECK("usage_counters"."metric" IN ('voice_seconds', 'telegram_messages', 'emails')),
	CONSTRAINT "usage_counters_used_check" CHECK("usage_counters"."used" >= 0)
);
