CREATE TABLE `community_posts` (
	`community_id` integer NOT NULL,
	`post_uri` text NOT NULL,
	`remote_actor_id` integer NOT NULL,
	`received_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`community_id`, `post_uri`),
	FOREIGN KEY (`community_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `community_posts_by_time` ON `community_posts` (`community_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `memberships_elsewhere` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` integer NOT NULL,
	`target` text NOT NULL,
	`remote_actor_id` integer,
	`role` text,
	`state` text NOT NULL,
	`activity_uri` text,
	`membership_uri` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memberships_elsewhere_target` ON `memberships_elsewhere` (`person_id`,`target`);--> statement-breakpoint
CREATE INDEX `memberships_elsewhere_by_actor` ON `memberships_elsewhere` (`remote_actor_id`);--> statement-breakpoint
CREATE TABLE `remote_members` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` integer NOT NULL,
	`target` text NOT NULL,
	`remote_actor_id` integer,
	`role` text NOT NULL,
	`state` text NOT NULL,
	`channel` text,
	`activity_uri` text,
	`invited_by` integer,
	`expires_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`community_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`invited_by`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `remote_members_target` ON `remote_members` (`community_id`,`target`);--> statement-breakpoint
CREATE INDEX `remote_members_by_actor` ON `remote_members` (`remote_actor_id`);--> statement-breakpoint
CREATE INDEX `remote_members_by_activity` ON `remote_members` (`activity_uri`);--> statement-breakpoint
ALTER TABLE `posts` ADD `remote_community_id` integer REFERENCES remote_actors(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `remote_actors` ADD `organisation` text;