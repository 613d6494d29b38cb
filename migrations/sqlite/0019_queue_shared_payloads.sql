CREATE TABLE `queue_shared_payloads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payload` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `queue_messages` ADD `shared_payload_id` integer REFERENCES queue_shared_payloads(id);--> statement-breakpoint
CREATE INDEX `queue_by_shared_payload` ON `queue_messages` (`shared_payload_id`);