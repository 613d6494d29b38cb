CREATE TABLE "queue_shared_payloads" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"payload" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "queue_messages" ADD COLUMN "shared_payload_id" bigint;--> statement-breakpoint
ALTER TABLE "queue_messages" ADD CONSTRAINT "queue_messages_shared_payload_id_queue_shared_payloads_id_fk" FOREIGN KEY ("shared_payload_id") REFERENCES "public"."queue_shared_payloads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "queue_by_shared_payload" ON "queue_messages" USING btree ("shared_payload_id");