//! The shared schema. Only types both backends agree on appear here:
//! `BigInt` ids, `Timestamp` holding UTC, `Text` for enums and JSON.

diesel::table! {
    sites (id) {
        id -> BigInt,
        name -> Text,
        api_key_hash -> Text,
        default_policy -> Text,
        guidelines -> Text,
        new_author_hold -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        classifier -> Text,
        published -> Text,
    }
}

diesel::table! {
    articles (id) {
        id -> BigInt,
        site_id -> BigInt,
        external_id -> Text,
        url -> Text,
        title -> Text,
        policy -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    authors (id) {
        id -> BigInt,
        site_id -> BigInt,
        external_id -> Text,
        display_name -> Text,
        email -> Nullable<Text>,
        approved_count -> Integer,
        rejected_count -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    moderators (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> Timestamp,
        active -> Bool,
    }
}

diesel::table! {
    moderator_sites (moderator_id, site_id) {
        moderator_id -> BigInt,
        site_id -> BigInt,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        moderator_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    comments (id) {
        id -> BigInt,
        site_id -> BigInt,
        article_id -> BigInt,
        author_id -> BigInt,
        parent_id -> Nullable<BigInt>,
        body -> Text,
        status -> Text,
        policy -> Text,
        priority -> Integer,
        version -> BigInt,
        client_ref -> Nullable<Text>,
        author_ip -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
        decision_action -> Nullable<Text>,
        decision_reason -> Nullable<Text>,
        decision_note -> Nullable<Text>,
        body_hash -> Nullable<Text>,
        scores -> Nullable<Text>,
        spam_score -> Nullable<Double>,
        offensive_score -> Nullable<Double>,
        imported_from -> Nullable<Text>,
        revision -> Integer,
        edited_at -> Nullable<Timestamp>,
        reported_at -> Nullable<Timestamp>,
        hidden -> Bool,
        open_reports -> Integer,
    }
}

diesel::table! {
    comment_revisions (id) {
        id -> BigInt,
        comment_id -> BigInt,
        revision -> Integer,
        body -> Text,
        status -> Text,
        written_at -> Timestamp,
        replaced_at -> Timestamp,
    }
}

diesel::table! {
    comment_reports (id) {
        id -> BigInt,
        site_id -> BigInt,
        comment_id -> BigInt,
        reporter -> Text,
        reporter_ip -> Nullable<Text>,
        reason -> Text,
        note -> Nullable<Text>,
        status -> Text,
        counted -> Bool,
        created_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        resolved_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    comment_reasons (id) {
        id -> BigInt,
        comment_id -> BigInt,
        source -> Text,
        code -> Text,
        message -> Text,
        span_start -> Nullable<Integer>,
        span_end -> Nullable<Integer>,
        matched -> Nullable<Text>,
        rule_id -> Nullable<BigInt>,
        rule_version -> Nullable<Integer>,
        action -> Nullable<Text>,
        shadow -> Bool,
        score -> Nullable<Double>,
        threshold -> Nullable<Double>,
        model -> Nullable<Text>,
        revision -> Integer,
    }
}

diesel::table! {
    classifier_models (id) {
        id -> BigInt,
        site_id -> BigInt,
        attribute -> Text,
        version -> Integer,
        weights -> Binary,
        metrics -> Text,
        decisions -> Integer,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rules (id) {
        id -> BigInt,
        site_id -> Nullable<BigInt>,
        article_external_id -> Nullable<Text>,
        version -> Integer,
        definition -> Text,
        deleted -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    rule_versions (id) {
        id -> BigInt,
        rule_id -> BigInt,
        version -> Integer,
        definition -> Text,
        deleted -> Bool,
        changed_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        site_id -> BigInt,
        comment_id -> BigInt,
        actor -> Text,
        action -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        reason -> Nullable<Text>,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (site_id, key) {
        site_id -> BigInt,
        key -> Text,
        request_hash -> Text,
        comment_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    imported_comments (site_id, source, source_id) {
        site_id -> BigInt,
        source -> Text,
        source_id -> Text,
        comment_id -> BigInt,
        unlinked_parent -> Nullable<Text>,
    }
}

diesel::table! {
    insight_gaps (id) {
        id -> BigInt,
        noticed_at -> Timestamp,
    }
}

diesel::table! {
    insight_progress (id) {
        id -> Integer,
        audit_id -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    insight_volume (site_id, hour, outcome, moderator) {
        site_id -> BigInt,
        hour -> Timestamp,
        outcome -> Text,
        moderator -> Text,
        comments -> BigInt,
    }
}

diesel::table! {
    insight_volume_days (site_id, day, outcome, moderator) {
        site_id -> BigInt,
        day -> Timestamp,
        outcome -> Text,
        moderator -> Text,
        comments -> BigInt,
    }
}

diesel::table! {
    insight_backlog (site_id, hour) {
        site_id -> BigInt,
        hour -> Timestamp,
        change -> BigInt,
    }
}

diesel::table! {
    insight_decisions (site_id, day, moderator) {
        site_id -> BigInt,
        day -> Timestamp,
        moderator -> Text,
        approved -> BigInt,
        rejected -> BigInt,
        overturned -> BigInt,
    }
}

diesel::table! {
    insight_waits (site_id, span, day, moderator, bucket) {
        site_id -> BigInt,
        span -> Text,
        day -> Timestamp,
        moderator -> Text,
        bucket -> Integer,
        decisions -> BigInt,
    }
}

diesel::table! {
    insight_rules (site_id, span, day, rule_id, moderator) {
        site_id -> BigInt,
        span -> Text,
        day -> Timestamp,
        rule_id -> BigInt,
        moderator -> Text,
        hits -> BigInt,
        held -> BigInt,
        auto_rejected -> BigInt,
        held_rejected -> BigInt,
        held_approved -> BigInt,
    }
}

diesel::table! {
    insight_scores (site_id, span, day, attribute, bin, moderator) {
        site_id -> BigInt,
        span -> Text,
        day -> Timestamp,
        attribute -> Text,
        bin -> Integer,
        moderator -> Text,
        approved -> BigInt,
        rejected -> BigInt,
    }
}

diesel::table! {
    insight_articles (site_id, span, day, article_id, moderator) {
        site_id -> BigInt,
        span -> Text,
        day -> Timestamp,
        article_id -> BigInt,
        moderator -> Text,
        comments -> BigInt,
        rejected -> BigInt,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        moderator_id -> BigInt,
        csrf_token -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        email -> Text,
        ip -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    leases (comment_id) {
        comment_id -> BigInt,
        moderator_id -> BigInt,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    saved_queues (id) {
        id -> BigInt,
        moderator_id -> BigInt,
        name -> Text,
        query -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    author_notes (id) {
        id -> BigInt,
        author_id -> BigInt,
        moderator_id -> BigInt,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    config_changes (id) {
        id -> BigInt,
        site_id -> Nullable<BigInt>,
        actor -> Text,
        action -> Text,
        subject -> Text,
        detail -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> BigInt,
        site_id -> BigInt,
        url -> Text,
        secret -> Text,
        events -> Text,
        format -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        endpoint_id -> BigInt,
        site_id -> BigInt,
        event_id -> Text,
        event_type -> Text,
        comment_id -> Nullable<BigInt>,
        payload -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        attempted_at -> Timestamp,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        response_snippet -> Nullable<Text>,
        duration_ms -> BigInt,
    }
}

diesel::table! {
    queue_alerts (site_id) {
        site_id -> BigInt,
        oldest_pending_minutes -> Nullable<Integer>,
        max_pending -> Nullable<Integer>,
        firing_since -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(articles -> sites (site_id));
diesel::joinable!(authors -> sites (site_id));
diesel::joinable!(comments -> articles (article_id));
diesel::joinable!(comments -> authors (author_id));
diesel::joinable!(comment_reasons -> comments (comment_id));
diesel::joinable!(comment_revisions -> comments (comment_id));
diesel::joinable!(comment_reports -> comments (comment_id));
diesel::joinable!(classifier_models -> sites (site_id));
diesel::joinable!(api_tokens -> moderators (moderator_id));
diesel::joinable!(rule_versions -> rules (rule_id));
diesel::joinable!(sessions -> moderators (moderator_id));
diesel::joinable!(leases -> moderators (moderator_id));
diesel::joinable!(author_notes -> moderators (moderator_id));

diesel::allow_tables_to_appear_in_same_query!(
    classifier_models,
    sites,
    articles,
    authors,
    moderators,
    moderator_sites,
    api_tokens,
    comments,
    comment_reasons,
    comment_revisions,
    comment_reports,
    audit_log,
    idempotency_keys,
    imported_comments,
    insight_gaps,
    insight_progress,
    insight_volume,
    insight_volume_days,
    insight_backlog,
    insight_decisions,
    insight_waits,
    insight_rules,
    insight_scores,
    insight_articles,
    rules,
    rule_versions,
    sessions,
    login_failures,
    leases,
    saved_queues,
    author_notes,
    config_changes,
    webhook_endpoints,
    webhook_deliveries,
    webhook_attempts,
    queue_alerts,
);
