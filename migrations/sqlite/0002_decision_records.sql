CREATE TABLE `decision_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`decision_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`changes` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`decision_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `decision_history_by_decision` ON `decision_history` (`decision_id`,`id`);--> statement-breakpoint
CREATE INDEX `decision_history_by_time` ON `decision_history` (`at`);--> statement-breakpoint
CREATE TABLE `decisions` (
	`post_id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`question` text NOT NULL,
	`context` text NOT NULL,
	`options` text DEFAULT '[]' NOT NULL,
	`decision` text DEFAULT '' NOT NULL,
	`rationale` text DEFAULT '' NOT NULL,
	`consequences` text DEFAULT '' NOT NULL,
	`deciders` text DEFAULT '[]' NOT NULL,
	`informed_by` text DEFAULT '[]' NOT NULL,
	`consultation_closes_at` integer,
	`decided_at` integer,
	`superseded_by` text,
	`status_changed_at` integer NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`superseded_by`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `decisions_by_status` ON `decisions` (`status`);--> statement-breakpoint
CREATE INDEX `decisions_by_superseded_by` ON `decisions` (`superseded_by`);--> statement-breakpoint
ALTER TABLE `remote_posts` ADD `decision` text;