ALTER TABLE `blocked_actors` ADD `reason` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `blocked_actors` ADD `created_by` integer REFERENCES actors(id) ON DELETE set null;