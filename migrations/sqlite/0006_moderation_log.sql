CREATE TABLE `moderation_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`community_id` integer,
	`action` text NOT NULL,
	`subject` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`details` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`community_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `moderation_log_by_time` ON `moderation_log` (`at`,`id`);--> statement-breakpoint
CREATE INDEX `moderation_log_by_subject` ON `moderation_log` (`subject`,`id`);--> statement-breakpoint
CREATE INDEX `moderation_log_by_community` ON `moderation_log` (`community_id`,`id`);