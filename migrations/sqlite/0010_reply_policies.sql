CREATE TABLE `community_blocks` (
	`community_id` integer NOT NULL,
	`actor_uri` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`created_by` integer,
	PRIMARY KEY(`community_id`, `actor_uri`),
	FOREIGN KEY (`community_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
ALTER TABLE `actors` ADD `reply_policy` text DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE `posts` ADD `reply_authorization` text;--> statement-breakpoint
ALTER TABLE `posts` ADD `reply_refused_at` integer;--> statement-breakpoint
ALTER TABLE `replies` ADD `request_uri` text;--> statement-breakpoint
ALTER TABLE `replies` ADD `authorization_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `replies_authorization_id_unique` ON `replies` (`authorization_id`);