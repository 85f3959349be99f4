"""`make store-copy`: everything in one store arrives in another, exactly, and is checked."""

from pymongo import MongoClient

from platform_common.store_copy import EXIT_NOT_EMPTY, ServerStore, copy_all, main, verify


def test_every_document_and_index_arrives_byte_for_byte(source, target, snapshot, capsys):
    assert main([source, target]) == 0

    copied = snapshot(target)
    assert copied == snapshot(source)
    assert len(copied["farm_core.tasks"]["documents"]) == 1200
    assert copied["farm_core.empty"]["documents"] == {}
    assert ("email_unique", {"email": 1}, True) in copied["farm_auth.users"]["indexes"]
    assert "Copied 1,203 documents in 5 collections" in capsys.readouterr().err


def test_a_target_holding_documents_is_refused_and_left_alone(source, target, snapshot, capsys):
    with MongoClient(target) as client:
        client.farm_core.tasks.insert_one({"_id": "theirs"})

    assert main([source, target]) == EXIT_NOT_EMPTY

    assert "already holds documents (farm_core.tasks)" in capsys.readouterr().err
    assert set(snapshot(target)) == {"farm_core.tasks"}
    assert snapshot(target)["farm_core.tasks"]["documents"].keys() == {"theirs"}


def test_force_replaces_the_copied_databases(source, target, snapshot):
    assert main([source, target]) == 0
    with MongoClient(source) as client:
        client.farm_core.tasks.delete_one({"title": "Task 7 — ünïcode"})
        client.farm_auth.users.insert_one({"email": "grace@example.com"})
    with MongoClient(target) as client:
        client.farm_core.stray.insert_one({"left": "over"})

    assert main([source, target, "--force"]) == 0

    assert snapshot(target) == snapshot(source)


def test_verification_names_what_differs(source, target):
    source_store, target_store = ServerStore(source), ServerStore(target)
    report = copy_all(source_store, target_store)
    with MongoClient(target) as client:
        changed = client.farm_auth.users.find_one_and_update({}, {"$set": {"roles": ["member"]}})
        client.farm_core.projects.delete_many({})

    mismatches = verify(source_store, target_store, report)

    assert f"farm_auth.users _id={changed['_id']!r}: differs in roles" in mismatches
    assert "farm_core.projects: 1 documents in the source, 0 in the target" in mismatches


def test_index_options_the_target_lacks_are_reported_not_dropped_silently(target):
    store = ServerStore(target)
    store.create_collection("farm_core", "reports")
    ttl = {"name": "expires", "key": {"expires_at": 1}, "expireAfterSeconds": 0}
    partial = {
        "name": "open_titles",
        "key": {"title": 1},
        "partialFilterExpression": {"status": "todo"},
        "collation": {"locale": "en", "strength": 2},
    }

    assert store.create_index("farm_core", "reports", ttl) == (
        "farm_core.reports index expires created WITHOUT expireAfterSeconds "
        "(the target does not support it)"
    )
    assert "WITHOUT collation, partialFilterExpression" in str(
        store.create_index("farm_core", "reports", partial)
    )
    assert {i["name"] for i in store.indexes("farm_core", "reports")} == {"expires", "open_titles"}
