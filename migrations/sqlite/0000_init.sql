CREATE TABLE `activities` (
	`id` text PRIMARY KEY NOT NULL,
	`json` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `actor_keys` (
	`actor_id` integer NOT NULL,
	`algorithm` text NOT NULL,
	`private_jwk` text NOT NULL,
	`public_jwk` text NOT NULL,
	PRIMARY KEY(`actor_id`, `algorithm`),
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `actors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`handle` text NOT NULL,
	`kind` text NOT NULL,
	`display_name` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`job_title` text,
	`avatar_url` text,
	`password_hash` text,
	`manually_approves_followers` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`deactivated_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `actors_handle_unique` ON `actors` (`handle`);--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`label` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `blocked_actors` (
	`uri` text PRIMARY KEY NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `followers` (
	`actor_id` integer NOT NULL,
	`remote_actor_id` integer NOT NULL,
	`follow_uri` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`actor_id`, `remote_actor_id`),
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `followers_by_remote` ON `followers` (`remote_actor_id`);--> statement-breakpoint
CREATE TABLE `followings` (
	`id` text PRIMARY KEY NOT NULL,
	`actor_id` integer NOT NULL,
	`target` text NOT NULL,
	`remote_actor_id` integer,
	`state` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `followings_actor_target` ON `followings` (`actor_id`,`target`);--> statement-breakpoint
CREATE TABLE `kv` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`expires_at` integer
);
--> statement-breakpoint
CREATE TABLE `memberships` (
	`community_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`role` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`community_id`, `person_id`),
	FOREIGN KEY (`community_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `outgoing_reactions` (
	`id` text PRIMARY KEY NOT NULL,
	`actor_id` integer NOT NULL,
	`object_uri` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outgoing_reactions_once` ON `outgoing_reactions` (`actor_id`,`object_uri`,`kind`);--> statement-breakpoint
CREATE TABLE `posts` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`author_id` integer NOT NULL,
	`community_id` integer,
	`title` text,
	`iso_week` text,
	`summary` text,
	`body_markdown` text NOT NULL,
	`content_html` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`in_reply_to` text,
	`state` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`published_at` integer,
	`updated_at` integer,
	`deleted_at` integer,
	FOREIGN KEY (`author_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`community_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `posts_by_community` ON `posts` (`community_id`,`published_at`);--> statement-breakpoint
CREATE INDEX `posts_by_author` ON `posts` (`author_id`,`published_at`);--> statement-breakpoint
CREATE TABLE `queue_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`queue` text NOT NULL,
	`payload` text NOT NULL,
	`ordering_key` text,
	`available_at` integer NOT NULL,
	`locked_until` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `queue_ready` ON `queue_messages` (`queue`,`available_at`);--> statement-breakpoint
CREATE INDEX `queue_ordering` ON `queue_messages` (`queue`,`ordering_key`,`id`);--> statement-breakpoint
CREATE TABLE `reactions` (
	`activity_uri` text PRIMARY KEY NOT NULL,
	`post_id` text NOT NULL,
	`remote_actor_id` integer NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reactions_once` ON `reactions` (`post_id`,`remote_actor_id`,`kind`);--> statement-breakpoint
CREATE TABLE `remote_actors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uri` text NOT NULL,
	`type` text NOT NULL,
	`handle` text,
	`name` text,
	`url` text,
	`icon_url` text,
	`inbox` text NOT NULL,
	`shared_inbox` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `remote_actors_uri_unique` ON `remote_actors` (`uri`);--> statement-breakpoint
CREATE TABLE `remote_posts` (
	`uri` text PRIMARY KEY NOT NULL,
	`remote_actor_id` integer,
	`announced_by` text,
	`type` text NOT NULL,
	`name` text,
	`summary` text,
	`content_html` text NOT NULL,
	`url` text,
	`in_reply_to` text,
	`published_at` integer NOT NULL,
	`updated_at` integer,
	`deleted_at` integer,
	`received_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `remote_posts_by_published` ON `remote_posts` (`published_at`);--> statement-breakpoint
CREATE TABLE `replies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uri` text NOT NULL,
	`post_id` text NOT NULL,
	`in_reply_to` text NOT NULL,
	`remote_actor_id` integer,
	`url` text,
	`content_html` text NOT NULL,
	`state` text DEFAULT 'visible' NOT NULL,
	`published_at` integer NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `replies_uri_unique` ON `replies` (`uri`);--> statement-breakpoint
CREATE INDEX `replies_by_post` ON `replies` (`post_id`,`published_at`);