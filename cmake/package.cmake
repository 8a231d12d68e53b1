# Installs the CMake package files: find_package(sdrs [1.x]) gives the imported target
# sdrs::sdrs (headers, and for a static libsdrs its private link dependencies).
include(CMakePackageConfigHelpers)

set(SDRS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/sdrs)
get_target_property(SDRS_LIBRARY_TYPE sdrs TYPE)

# A static libsdrs exports its private link targets; sdrsConfig.cmake must recreate each one
# in the consumer. Derived from the target's link libraries, so a dependency added in src/
# is covered or stops the configure here (never a consumer that fails to link).
set(SDRS_FIND_DEPENDENCIES "")
if(SDRS_LIBRARY_TYPE STREQUAL "STATIC_LIBRARY")
  get_target_property(sdrs_link_deps sdrs LINK_LIBRARIES)
  foreach(dep IN LISTS sdrs_link_deps)
    if(dep STREQUAL "Threads::Threads")
      string(APPEND SDRS_FIND_DEPENDENCIES "  find_dependency(Threads)\n")
    elseif(dep MATCHES "^OpenSSL::(Crypto|SSL)$")
      string(APPEND SDRS_FIND_DEPENDENCIES "  find_dependency(OpenSSL COMPONENTS ${CMAKE_MATCH_1})\n")
    elseif(dep MATCHES "^PkgConfig::(.+)$")
      set(pc_prefix ${CMAKE_MATCH_1})
      if(NOT ${pc_prefix}_MODULE_NAME)
        message(FATAL_ERROR "cmake/package.cmake: no single pkg-config module behind ${dep}")
      endif()
      string(APPEND SDRS_FIND_DEPENDENCIES "  sdrs_find_pkg(${pc_prefix} ${${pc_prefix}_MODULE_NAME})\n")
    elseif(dep MATCHES "::")
      message(FATAL_ERROR "cmake/package.cmake: teach sdrsConfig.cmake to find ${dep} "
                          "for consumers of the static libsdrs")
    endif() # plain library names (stdc++, m) need nothing
  endforeach()
endif()

install(EXPORT sdrsTargets NAMESPACE sdrs:: DESTINATION ${SDRS_CMAKE_DIR} FILE sdrsTargets.cmake)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sdrsConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/sdrsConfig.cmake INSTALL_DESTINATION ${SDRS_CMAKE_DIR})
# Product version 1.x: new minor versions only add API, so any 1.y >= the requested one fits.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/sdrsConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/sdrsConfig.cmake
  ${PROJECT_BINARY_DIR}/cmake/sdrsConfigVersion.cmake DESTINATION ${SDRS_CMAKE_DIR})
