CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`reporter_id` integer,
	`reporter_uri` text,
	`subject_kind` text NOT NULL,
	`subject_uri` text NOT NULL,
	`community_id` integer,
	`remote_author_uri` text,
	`snapshot` text DEFAULT '' NOT NULL,
	`category` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	`resolved_by` integer,
	`resolved_at` integer,
	`resolution` text,
	`resolution_note` text DEFAULT '' NOT NULL,
	`forwarded_at` integer,
	FOREIGN KEY (`reporter_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`community_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`resolved_by`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `reports_by_state` ON `reports` (`state`,`created_at`);--> statement-breakpoint
CREATE INDEX `reports_by_subject` ON `reports` (`subject_uri`);