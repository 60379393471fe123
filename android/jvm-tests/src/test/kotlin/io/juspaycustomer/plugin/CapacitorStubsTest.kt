package io.juspaycustomer.plugin

import io.juspaycustomer.plugin.support.Paths
import java.io.File
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

/**
 * The test-only Capacitor stand-ins (stand-ins/com/getcapacitor and src/test/java/com/getcapacitor)
 * stay faithful: every public or protected member they declare is declared the same way in
 * @capacitor/android's own source, so the plugin compiles, here and in robolectric/, only against
 * signatures that exist on Android.
 */
class CapacitorStubsTest {

    /** `public void load()`, with bodies, braces and extra spaces removed. */
    private fun declarations(source: String): List<String> = source.lines()
        .map { it.trim() }
        .filter { (it.startsWith("public ") || it.startsWith("protected ")) && it.contains('(') }
        .map { it.substringBefore('{').substringBefore(';').replace(Regex("\\s+"), " ").trim() }

    @TestFactory
    fun `every stub member exists in Capacitor's source`(): List<DynamicTest> {
        val stubs = Paths.standIns.flatMap { dir ->
            File(dir, "com/getcapacitor").listFiles { f -> f.name.endsWith(".java") }.orEmpty().asList()
        }
        check(stubs.size >= 5) { "expected the 5 stand-ins in ${Paths.standIns}, found ${stubs.map { it.name }}" }
        return stubs.sortedBy { it.name }.map { stub ->
            DynamicTest.dynamicTest(stub.name) {
                val real = File(Paths.capacitorJava, "com/getcapacitor/${stub.name}")
                assertTrue(real.isFile, "Capacitor has no ${stub.name} at $real")
                val realDeclarations = declarations(real.readText()).toSet()
                // A line the stub marks as its own (a constructor the real class takes a WebView for) is exempt.
                val own = stub.readLines().filterNot { it.contains("// stub's own") }.joinToString("\n")
                for (declaration in declarations(own)) {
                    assertTrue(declaration in realDeclarations, "${stub.name}: `$declaration` is not in Capacitor's ${real.name}")
                }
            }
        }
    }
}
