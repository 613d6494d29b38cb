CREATE TABLE `notification_settings` (
	`person_id` integer PRIMARY KEY NOT NULL,
	`email_kinds` text DEFAULT '[]' NOT NULL,
	`last_digest_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`recipient_id` integer NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`group_key` text NOT NULL,
	`post_id` text,
	`subject_uri` text,
	`actor_id` integer,
	`actor_uri` text,
	`actor_name` text,
	`details` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	`emailed_at` integer,
	FOREIGN KEY (`recipient_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_once` ON `notifications` (`recipient_id`,`source`);--> statement-breakpoint
CREATE INDEX `notifications_by_recipient` ON `notifications` (`recipient_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_unread` ON `notifications` (`recipient_id`,`read_at`);