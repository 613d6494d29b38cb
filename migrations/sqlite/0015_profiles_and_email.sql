ALTER TABLE `actors` ADD `avatar_alt` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `actors` ADD `description` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `actors` ADD `profile_links` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `actors` ADD `email` text;--> statement-breakpoint
CREATE UNIQUE INDEX `actors_email_unique` ON `actors` (`email`);