ALTER TABLE `telegram_accounts` ADD `telegram_user_id` text;--> statement-breakpoint
ALTER TABLE `telegram_accounts` ADD `last_error` text;