package io.juspaycustomer.plugin.support

import java.io.File

/** Where the inputs are; the pom passes them as system properties (see 40-jvm.sh). */
object Paths {
    val repoRoot: File = File(property("repo.root")).canonicalFile
    val vectors: File = File(repoRoot, "rust-core/tests/vectors")
    val definitions: File = File(repoRoot, "src-ts/definitions.ts")
    val pluginCalls: File = File(repoRoot, "src-ts/contract/plugin-calls.json")
    val scenarioServer: File = File(property("scenario.server"))
    val capacitorJava: File = File(property("capacitor.android.dir"), "capacitor/src/main/java")
    /** The Capacitor stand-ins: both suites' (stand-ins/) and this suite's own (src/test/java). */
    val standIns: List<File> = listOf("stand-ins", "src/test/java").map { File(repoRoot, "android/jvm-tests/$it") }

    private fun property(name: String): String =
        System.getProperty(name) ?: error("system property $name is not set: run through Maven (see scripts/test.d/40-jvm.sh)")
}
