package io.juspaycustomer.plugin

import android.os.Build
import io.juspaycustomer.plugin.support.PluginCallRunner
import io.juspaycustomer.plugin.support.PluginCalls
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config

/**
 * Every case of src-ts/contract/plugin-calls.json as the JVM suite runs it (PluginCallRunner),
 * here on Android 14's classes: the options, PluginCall's data and every answer are Android's
 * org.json, the bindings the Android variant. The plugin class runs on the Capacitor stand-ins
 * (jvm-tests/stand-ins), so this project only; android/src/test holds what Gradle runs too.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [Build.VERSION_CODES.UPSIDE_DOWN_CAKE])
class AndroidPluginCallsTest {
    private val calls = PluginCalls.load()
    private val runner = PluginCallRunner(calls)

    /** Runs every case, then fails once naming each case that failed and why. */
    private fun everyCase(run: (PluginCalls.Case) -> Unit) {
        assertTrue("only ${calls.cases.size} cases", calls.cases.size >= 50)
        val failures = calls.cases.mapNotNull { case ->
            runCatching { run(case) }.exceptionOrNull()?.let { "${case.name}: ${it.message}" }
        }
        assertEquals("cases that failed on Android's classes", "", failures.joinToString("\n"))
    }

    @Test
    fun `every case through the adapter`() = everyCase(runner::throughAdapter)

    @Test
    fun `every case through the plugin and PluginCall`() = everyCase(runner::throughPlugin)
}
