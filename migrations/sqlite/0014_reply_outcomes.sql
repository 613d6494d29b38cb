CREATE TABLE `outcomes_elsewhere` (
	`post_id` text PRIMARY KEY NOT NULL,
	`answer_uri` text NOT NULL,
	`record_uri` text NOT NULL,
	`record_title` text NOT NULL,
	`kind` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`referred_uri` text,
	`referred_name` text,
	`answered_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `referred_input` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`community_id` integer NOT NULL,
	`object_uri` text NOT NULL,
	`object_url` text,
	`author_uri` text,
	`author_name` text,
	`content_html` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`referred_by_uri` text NOT NULL,
	`referred_by_name` text,
	`record_uri` text,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referred_input_once` ON `referred_input` (`community_id`,`object_uri`);--> statement-breakpoint
CREATE TABLE `reply_outcomes` (
	`decision_id` text NOT NULL,
	`reply_uri` text NOT NULL,
	`kind` text,
	`note` text DEFAULT '' NOT NULL,
	`referral_target` text,
	`referral_uri` text,
	`referral_name` text,
	`referral_state` text,
	`answer_note_id` text,
	`set_by` integer,
	`set_at` integer NOT NULL,
	PRIMARY KEY(`decision_id`, `reply_uri`),
	FOREIGN KEY (`decision_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`answer_note_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`set_by`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `reply_outcomes_by_reply` ON `reply_outcomes` (`reply_uri`);--> statement-breakpoint
CREATE INDEX `reply_outcomes_by_answer` ON `reply_outcomes` (`answer_note_id`);--> statement-breakpoint
ALTER TABLE `replies` ADD `from_connexo` integer DEFAULT false NOT NULL;